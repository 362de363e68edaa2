"""Rolling evaluation: graph features help where contagion acts, and only there (leakage guard)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scoring_world import make_world

from scoring.config import ModelConfig, ScoringConfig, Variant
from scoring.evaluation.bootstrap import Interval
from scoring.evaluation.report import contagion_gain, write_report
from scoring.evaluation.rolling import EvaluationConfig, EvaluationResult, evaluate

CFG = ScoringConfig(model=ModelConfig(calibration_months=6, history_months=18, num_boost_round=80, min_data_in_leaf=30))
ECFG = EvaluationConfig(n_origins=3, origin_step=3, variants=(Variant.TABULAR, Variant.TABULAR_GRAPH), n_boot=150)


def _run(contagion: bool) -> tuple[EvaluationResult, dict[str, Interval]]:
    world = make_world(n=700, months=40, seed=21, contagion=contagion, strength=2.0)
    result = evaluate(world, CFG, ECFG)
    return result, contagion_gain(result, ECFG)


@pytest.mark.slow
def test_graph_features_gain_with_contagion_and_report(tmp_path: Path) -> None:
    result, gain = _run(contagion=True)
    # Every training label window ends by its test origin.
    assert all(float(t["fit_events"]) > 0 for t in result.training)
    assert gain["auc_exposed"].estimate > 0
    assert gain["auc_exposed"].significant_gain or gain["precision_at_k"].significant_gain, {
        k: v.fmt() for k, v in gain.items()
    }
    report = write_report(result, ECFG, tmp_path, "contagion")
    text = report.read_text()
    assert "Exposed companies" in text and "tabular+graph" in text
    assert (tmp_path / "roc_p12.png").stat().st_size > 1000 and (tmp_path / "lift_p12.png").is_file()
    p = result.variant(Variant.TABULAR)
    assert np.all(p["p12"] <= p["p18"]) and np.all(p["p18"] <= p["p24"])


@pytest.mark.slow
def test_graph_features_show_no_gain_without_contagion() -> None:
    _, gain = _run(contagion=False)
    assert not gain["auc_exposed"].significant_gain, gain["auc_exposed"].fmt()
    assert not gain["precision_at_k"].significant_gain, gain["precision_at_k"].fmt()
    assert not gain["auc_all"].significant_gain, gain["auc_all"].fmt()
