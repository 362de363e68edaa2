"""``aligned_training``: every variant of the evaluation trains on the same company-months.

The GNN variants train only on the months that have GNN features, the others on all
months: without the option their training windows differ (so a gain between them
may come from the window, not from the features); with it they are identical.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scoring_world import START, make_world

import scoring.evaluation.rolling as rolling
import scoring.model.train as train
from scoring.config import ModelConfig, ScoringConfig, Variant
from scoring.evaluation.report import training_table
from scoring.evaluation.rolling import EvaluationConfig, EvaluationResult, evaluate
from scoring.features.catalog import GNN_FEATURES

CFG = ScoringConfig(model=ModelConfig(calibration_months=6, history_months=18, num_boost_round=20, min_data_in_leaf=20))
VARIANTS = (Variant.TABULAR, Variant.TABULAR_GRAPH, Variant.TABULAR_GRAPH_GNN, Variant.GNN_ONLY)
GNN_FROM = START + 12  # the GNN has features from this month only, as in the real runs

Rows = dict[tuple[str, int], list[set[tuple[str, int]]]]


def _gnn(world: Any, seed: int = 3) -> pd.DataFrame:
    """Noise GNN features for every company from ``GNN_FROM`` on (none before)."""
    rng = np.random.default_rng(seed)
    sirens = world.companies["siren"].to_numpy()
    last = int(world.monthly["month"].max())
    grid = pd.MultiIndex.from_product([sirens, range(GNN_FROM, last + 1)], names=["siren", "month"]).to_frame(
        index=False
    )
    for f in GNN_FEATURES:
        grid[f] = rng.random(len(grid))
    return grid


@pytest.fixture(scope="module")
def world_and_gnn() -> tuple[Any, pd.DataFrame]:
    world = make_world(n=400, months=44, seed=4, contagion=False)
    return world, _gnn(world)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Rows]:
    """Records the (siren, month) rows each (variant, test origin) fits and calibrates on."""
    rows: Rows = defaultdict(list)
    current: list[tuple[str, int]] = []
    real_train, real_origins = train.train_from_panel, train._origins

    def train_spy(frame: pd.DataFrame, procedures: pd.DataFrame, as_of: int, features: list[str], *a: Any) -> Any:
        current[:] = [(a[1].value if len(a) > 1 else "", as_of)]
        return real_train(frame, procedures, as_of, features, *a)

    def origins_spy(frame: pd.DataFrame, first: int, last: int, stride: int) -> pd.DataFrame:
        out = real_origins(frame, first, last, stride)
        rows[current[0]].append(set(zip(out["siren"], out["month"].astype(int), strict=True)))
        return out

    monkeypatch.setattr(rolling, "train_from_panel", train_spy)
    monkeypatch.setattr(train, "_origins", origins_spy)
    yield rows


def _run(world_and_gnn: tuple[Any, pd.DataFrame], aligned: bool) -> EvaluationResult:
    world, gnn = world_and_gnn
    ecfg = EvaluationConfig(n_origins=2, origin_step=3, variants=VARIANTS, n_boot=10, aligned_training=aligned)
    return evaluate(world, CFG, ecfg, gnn)


def test_aligned_training_gives_every_variant_the_same_rows(world_and_gnn: tuple[Any, pd.DataFrame], spy: Rows) -> None:
    result = _run(world_and_gnn, aligned=True)
    assert not result.skipped and set(result.variants) == set(VARIANTS)
    for o in result.origins:
        fit_and_cal = [spy[(v.value, o)] for v in VARIANTS]
        assert all(len(r) == 2 and r[0] and r[1] for r in fit_and_cal)  # fit rows, calibration rows
        assert all(r == fit_and_cal[0] for r in fit_and_cal[1:]), o
        # ... and those are the months with GNN features.
        assert min(m for _, m in fit_and_cal[0][0]) >= GNN_FROM
    fit_rows = training_table(result).set_index("variant")["fit_rows"].to_dict()
    assert fit_rows["tabular"] == fit_rows["tabular+graph+gnn"] == fit_rows["gnn"]


def test_without_the_option_the_gnn_variants_train_on_a_shorter_window(
    world_and_gnn: tuple[Any, pd.DataFrame], spy: Rows
) -> None:
    # The default, and what the option is for: the tabular variants also fit on the months
    # before the first GNN month, the GNN variants do not.
    result = _run(world_and_gnn, aligned=False)
    for o in result.origins:
        tab_fit = spy[(Variant.TABULAR.value, o)][0]
        gnn_fit = spy[(Variant.TABULAR_GRAPH_GNN.value, o)][0]
        assert min(m for _, m in tab_fit) < GNN_FROM <= min(m for _, m in gnn_fit)
        assert gnn_fit < tab_fit
