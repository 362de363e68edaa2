"""Scores, explanations and detection lists written to the real Neo4j."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest
from scoring_world import START, make_world

from graphstore.measures import MeasureStore
from graphstore.store import GraphStore
from scoring.config import AlertConfig, ModelConfig, ScoringConfig, Variant
from scoring.features.inputs import FeatureInputs
from scoring.months import format_period
from scoring.pipeline import score, train

AS_OF = START + 30
CFG = ScoringConfig(
    model=ModelConfig(calibration_months=6, history_months=12, num_boost_round=40, min_data_in_leaf=20),
    alerts=AlertConfig(list_per_10k=150.0, new_alert_lookback=6),
)


@pytest.fixture(scope="module")
def world() -> FeatureInputs:
    return make_world(n=300, months=36, seed=4, contagion=True)


def _companies(store: GraphStore, world: FeatureInputs) -> None:
    store.write_batches(
        "UNWIND $rows AS row MERGE (c:Company {siren: row.siren}) SET c.region = row.region",
        ({"siren": s, "region": "27"} for s in world.companies["siren"]),
    )


def test_train_score_list_and_csv(store: GraphStore, data_dir: Path, world: FeatureInputs, tmp_path: Path) -> None:
    _companies(store, world)
    ms = MeasureStore(tmp_path / "empty-measures")
    trained = train(format_period(AS_OF), store, ms, data_dir, CFG, Variant.TABULAR_GRAPH, inputs=world, use_gnn=False)
    assert (data_dir / "models" / trained.version / "metadata.json").is_file()

    period = format_period(AS_OF + 1)
    out = tmp_path / "scores.csv"
    s = score(period, store, ms, data_dir, CFG, out=out, inputs=world)
    assert s.version == trained.version
    n_live = int((~s.scores["in_procedure"]).sum())
    assert n_live > 200 and s.scores["in_procedure"].any()
    got = store.read(
        "MATCH (s:Score {period: $p})-[:FOR]->(c:Company) RETURN count(s) AS n, "
        "count(CASE WHEN s.in_procedure THEN 1 END) AS flagged, "
        "count(CASE WHEN s.in_procedure AND s.alert <> 'none' THEN 1 END) AS alerted_in_procedure, "
        "collect(DISTINCT s.model_version) AS versions",
        {"p": period},
    )[0]
    assert got["n"] == len(s.scores) and got["flagged"] == int(s.scores["in_procedure"].sum())
    assert got["alerted_in_procedure"] == 0 and got["versions"] == [trained.version]

    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["siren", "period", "p12", "p18", "p24", "alert"] and len(rows) == n_live
    assert all(float(r["p12"]) <= float(r["p18"]) <= float(r["p24"]) for r in rows)
    assert {r["alert"] for r in rows} <= {"none", "moderate", "high"}

    # Detection list: new alerts only, per region, within the tuned size (round(150 * 300 / 10,000) = 4 or 5).
    listed = store.read(
        "MATCH (a:Alert {period: $p, listed: true})-[:FOR]->(c:Company) RETURN a.siren AS siren, a.level AS level, a.first_alert AS first",
        {"p": period},
    )
    assert 1 <= len(listed) <= 5 and all(r["level"] in ("moderate", "high") and r["first"] for r in listed)

    # Next month: companies alerted last month or followed by an agency are not listed again.
    nxt = format_period(AS_OF + 2)
    store.write("MERGE (a:Agency {code: 'CRP-21'})")
    s2_scores = score(
        nxt, store, ms, data_dir, replace(CFG, alerts=replace(CFG.alerts, list_per_10k=0.0, min_list=0)), inputs=world
    ).scores
    candidates = s2_scores[(s2_scores["alert"] != "none")]["siren"].tolist()
    assert candidates, "the world should keep some companies in alert"
    store.write(
        "UNWIND $s AS siren MATCH (a:Agency {code: 'CRP-21'}), (c:Company {siren: siren}) MERGE (a)-[:FOLLOWS]->(c)",
        {"s": candidates[:3]},
    )
    s2 = score(nxt, store, ms, data_dir, CFG, inputs=world)
    prev_alerted = {str(x) for x in s.scores[s.scores["alert"] != "none"]["siren"]}
    new = set(s2.listed["siren"].astype(str))
    assert not (new & prev_alerted) and not (new & set(candidates[:3]))


def test_explanations_name_groups_and_failed_partners(
    store: GraphStore, data_dir: Path, world: FeatureInputs, tmp_path: Path
) -> None:
    _companies(store, world)
    ms = MeasureStore(tmp_path / "empty-measures")
    train(format_period(AS_OF), store, ms, data_dir, CFG, Variant.TABULAR_GRAPH, inputs=world, use_gnn=False)
    s = score(format_period(AS_OF), store, ms, data_dir, CFG, inputs=world)
    live = s.scores[~s.scores["in_procedure"]]
    expl = [json.loads(e) for e in live["explanation"]]
    groups = {
        "urssaf_debt",
        "short_time_work",
        "headcount",
        "financial_health",
        "supplier_contagion",
        "client_contagion",
        "group",
    }
    assert all(groups <= set(e["groups"]) for e in expl)
    with_partners = [e for e in expl if e["related"].get("client_contagion")]
    assert with_partners, "some companies have failed clients in a world with failures"
    failed = set(world.procedures["siren"])
    assert all(
        r["siren"] in failed and 0 < r["weight"] <= 1 for e in with_partners for r in e["related"]["client_contagion"]
    )
    stored = store.read(
        "MATCH (s:Score {period: $p}) WHERE s.explanation IS NOT NULL RETURN s.explanation AS e LIMIT 1",
        {"p": format_period(AS_OF)},
    )
    assert json.loads(stored[0]["e"])["groups"]
