"""The hazard model: person-period rows, monotone horizons, calibration, thresholds, versions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scoring_world import START, make_world

from scoring.config import ModelConfig, PerimeterConfig, Variant
from scoring.features.builder import Panel, build_panel
from scoring.features.catalog import variant_features
from scoring.model import registry
from scoring.model.calibration import Platt
from scoring.model.hazard import cumulative, expand
from scoring.model.thresholds import Thresholds, best_fbeta_threshold
from scoring.model.train import TrainingResult, train_from_panel

AS_OF = START + 34
SMALL = ModelConfig(calibration_months=6, history_months=18, num_boost_round=40, min_data_in_leaf=20)


def test_person_period_rows_stop_at_the_event_and_at_the_label_cut() -> None:
    rows = expand(np.array([10, 10]), np.array([13.0, np.nan]), label_cut=15, max_horizon=24)
    first = rows.horizon[rows.origin == 0]
    second = rows.horizon[rows.origin == 1]
    assert list(first) == [1, 2, 3]  # event in month 13 = origin + 3: no row after it
    assert list(rows.label[rows.origin == 0]) == [0, 0, 1]
    assert list(second) == [1, 2, 3, 4, 5]  # censored at the label cut (15)
    assert rows.label[rows.origin == 1].sum() == 0


def test_negative_sampling_keeps_events_and_reweights() -> None:
    months = np.full(500, 10)
    events = np.where(np.arange(500) < 50, 15.0, np.nan)
    rows = expand(months, events, label_cut=40, max_horizon=24, negative_rate=0.2, seed=1)
    assert rows.label.sum() == 50
    assert set(np.unique(rows.weight[rows.label == 0])) == {5.0}
    full = expand(months, events, label_cut=40, max_horizon=24)
    assert abs((rows.weight[rows.label == 0]).sum() / (full.label == 0).sum() - 1) < 0.05


def test_cumulative_probabilities_are_ordered() -> None:
    h = np.random.default_rng(0).uniform(0, 0.2, (100, 24))
    p = cumulative(h, (12, 18, 24))
    assert (np.diff(p, axis=1) >= 0).all() and (p <= 1).all()
    assert p[0, 0] == pytest.approx(1 - np.prod(1 - h[0, :12]))


def test_platt_is_increasing_and_fbeta_thresholds_are_ordered() -> None:
    rng = np.random.default_rng(0)
    margin = rng.normal(-3, 1, 5000)
    label = (rng.random(5000) < 1 / (1 + np.exp(-(2 * margin + 1)))).astype(int)
    platt = Platt.fit(margin, label)
    assert platt.slope == pytest.approx(2, rel=0.2) and platt.intercept == pytest.approx(1, abs=0.5)
    p = 1 / (1 + np.exp(-(2 * margin + 1)))
    th = Thresholds.choose(p, label)
    assert th.moderate <= th.high
    # F2 favours recall: the moderate level flags more companies than the high one.
    assert (th.level(p) != "none").sum() > (th.level(p) == "high").sum()
    t, f = best_fbeta_threshold(np.array([0.9, 0.8, 0.1]), np.array([1, 1, 0]), 1.0)
    assert t == 0.8 and f == pytest.approx(1.0)


@pytest.fixture(scope="module")
def panel() -> tuple[Panel, pd.DataFrame]:
    world = make_world(n=300, months=40, seed=2, contagion=True)
    return build_panel(world, range(START + 12, AS_OF + 1), PerimeterConfig()), world.procedures


def _train(panel: Panel, procedures: pd.DataFrame) -> TrainingResult:
    feats = variant_features(panel.feature_columns, Variant.TABULAR_GRAPH)
    return train_from_panel(panel.frame[panel.frame["month"] < AS_OF], procedures, AS_OF, feats, SMALL)


def test_training_uses_only_labels_known_at_as_of(panel: tuple[Panel, pd.DataFrame]) -> None:
    p, procedures = panel
    a = _train(p, procedures)
    # Judgments after as_of (or known only after it) change nothing.
    extra = procedures.copy()
    extra.loc[extra["known_month"] > AS_OF, "kind"] = "liquidation"
    more = pd.DataFrame(
        [
            {
                "siren": s,
                "kind": "liquidation",
                "stage": "ouverture",
                "judgment_month": AS_OF - 1,
                "known_month": AS_OF + 1,
            }
            for s in p.frame["siren"].unique()[:30]
        ]
    )
    b = _train(p, pd.concat([extra, more], ignore_index=True))
    test = p.frame[p.frame["month"] == AS_OF - 1]
    pd.testing.assert_frame_equal(a.model.predict(test), b.model.predict(test))


def test_save_load_round_trip_and_monotone_horizons(panel: tuple[Panel, pd.DataFrame], tmp_path: Path) -> None:
    p, procedures = panel
    res = _train(p, procedures)
    version = registry.save(res, tmp_path)
    model, th, meta = registry.load(tmp_path, version)
    test = p.frame[(p.frame["month"] == AS_OF - 1) & ~p.frame["in_procedure"]]
    pd.testing.assert_frame_equal(model.predict(test), res.model.predict(test))
    probs = model.predict(test)
    assert (probs["p12"] <= probs["p18"]).all() and (probs["p18"] <= probs["p24"]).all()
    assert meta["as_of"] == "2023-11" and meta["features"] == res.model.features
    assert th == res.thresholds and set(meta["metrics"]) >= {"fit_events", "platt_slope"}
    assert registry.latest_for(tmp_path, AS_OF + 5) == version
    with pytest.raises(FileNotFoundError):
        registry.latest_for(tmp_path, AS_OF - 1)
