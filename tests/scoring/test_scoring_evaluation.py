"""Rolling evaluation: graph features help where contagion acts, and only there (leakage guard)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scoring_world import make_world_with_truth

from scoring.config import ModelConfig, ScoringConfig, Variant
from scoring.evaluation.bootstrap import Interval
from scoring.evaluation.report import contagion_gain, write_report
from scoring.evaluation.rolling import EvaluationConfig, EvaluationResult, evaluate
from scoring.evaluation.truth import mark_contagion_acts

CFG = ScoringConfig(model=ModelConfig(calibration_months=6, history_months=18, num_boost_round=80, min_data_in_leaf=30))
ECFG = EvaluationConfig(n_origins=4, origin_step=3, variants=(Variant.TABULAR, Variant.TABULAR_GRAPH), n_boot=150)


def _run(contagion: bool) -> tuple[EvaluationResult, dict[str, Interval]]:
    # A small world where contagion is strong (strength 2): the test must be able to see it.
    world, truth = make_world_with_truth(n=1000, months=40, seed=21, contagion=contagion, strength=2.0)
    result = evaluate(world, CFG, ECFG)
    # The ground truth only picks the "contagion acts" rows of the pooled test predictions.
    mark_contagion_acts(result, truth)
    return result, contagion_gain(result, ECFG)


@pytest.mark.slow
def test_graph_features_gain_with_contagion_and_report(tmp_path: Path) -> None:
    result, gain = _run(contagion=True)
    # Every training label window ends by its test origin.
    assert all(float(t["fit_events"]) > 0 for t in result.training)
    shown = {k: v.fmt() for k, v in gain.items()}
    # Where contagion acts (true contagion term >= 0.3 the month after the origin), the
    # hand-built graph features significantly improve the ranking: the paired lower bound is > 0.
    acts = result.variant(Variant.TABULAR)["contagion_acts"]
    assert 50 <= acts.sum() < len(acts) / 2, acts.sum()
    assert gain["auc_contagion"].low > 0, shown
    assert gain["auc_exposed"].estimate > 0 and gain["precision_at_k"].estimate > 0, shown
    report = write_report(result, ECFG, tmp_path, "contagion")
    text = report.read_text()
    assert "Exposed companies" in text and "Companies where contagion acts" in text and "tabular+graph" in text
    assert "auc_contagion" in text
    assert (tmp_path / "roc_p12.png").stat().st_size > 1000 and (tmp_path / "lift_p12.png").is_file()
    p = result.variant(Variant.TABULAR)
    assert np.all(p["p12"] <= p["p18"]) and np.all(p["p18"] <= p["p24"])


@pytest.mark.slow
def test_graph_features_show_no_gain_without_contagion() -> None:
    # Leakage guard: the same world without contagion; the graph features must not help.
    result, gain = _run(contagion=False)
    assert not result.variant(Variant.TABULAR)["contagion_acts"].any()
    for metric in ("auc_all", "auc_exposed", "auc_pr_exposed", "precision_at_k"):
        assert not gain[metric].significant_gain, (metric, gain[metric].fmt())
    # On all companies (the well-powered comparison) the interval holds 0 or the gain is negligible.
    auc = gain["auc_all"]
    assert auc.low <= 0 <= auc.high or abs(auc.estimate) < 0.01, auc.fmt()
