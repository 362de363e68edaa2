"""End to end on a small synthetic region: synth -> refresh -> signaux train, score and evaluate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graphstore.store import GraphStore
from scoring.model import registry
from signaux.cli import main


@pytest.mark.slow
def test_train_score_and_evaluate_commands_on_a_loaded_region(
    store: GraphStore, data_dir: Path, tmp_path: Path
) -> None:
    world = tmp_path / "world"
    assert main(["synth", "--companies", "250", "--months", "30", "--seed", "5", "--out", str(world), "--quiet"]) == 0
    assert main(["refresh", "--from", str(world / "deliveries"), "--no-progress"]) == 0

    assert main(["train", "--as-of", "2024-03", "--no-gnn", "--calibration-months", "6"]) == 0
    version = registry.latest_for(data_dir, 202403 // 100 * 12 + 2)
    meta = json.loads((data_dir / "models" / version / "metadata.json").read_text())
    assert meta["as_of"] == "2024-03" and meta["thresholds"]["moderate"] <= meta["thresholds"]["high"]
    assert "debt_share" in meta["features"] and "client_fail_dep_12m" in meta["features"]

    out = tmp_path / "scores.csv"
    assert main(["score", "--period", "2024-04", "--out", str(out)]) == 0
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["period"] == "2024-04" for r in rows)
    assert all(float(r["p12"]) <= float(r["p18"]) <= float(r["p24"]) for r in rows)
    stored = store.read(
        "MATCH (s:Score {period: '2024-04'})-[:FOR]->(c:Company) WHERE NOT s.in_procedure "
        "RETURN count(s) AS n, collect(DISTINCT s.model_version) AS v"
    )[0]
    assert stored["n"] == len(rows) and stored["v"] == [version]
    # Perimeter: nobody public sector, everybody 10+ employees within 36 months or band 11+.
    forms = store.read(
        "MATCH (s:Score {period: '2024-04'})-[:FOR]->(c:Company) RETURN collect(DISTINCT c.legal_form) AS f"
    )[0]["f"]
    assert not any(str(f).startswith(("4", "7")) for f in forms if f)

    # The evaluation through its real data path: Neo4j and the measure store, read as of each month.
    report_dir = tmp_path / "evaluation"
    args = ["evaluate", "--no-gnn", "--origins", "2", "--origin-step", "1", "--boot", "30"]
    assert main([*args, "--calibration-months", "4", "--out", str(report_dir), "--title", "small region"]) == 0
    text = (report_dir / "report.md").read_text()
    assert text.startswith("# small region") and "Produced by `signaux evaluate" in text
    assert "| 12 | tabular |" in text and "| 12 | tabular+graph |" in text and "## Exposed companies" in text
    assert "GNN features not used (`--no-gnn`)" in text
    for name in ("roc_p12.png", "pr_p12.png", "reliability_p12.png", "lift_p12.png"):
        assert (report_dir / name).stat().st_size > 1000, name
