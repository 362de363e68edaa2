"""Every source family into the graph and the measure store, on two tiny hand-written deliveries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from ingest_world import siren, siret, two_deliveries

from graphstore.measures import MeasureStore, debt_series, headcount_series, short_time_work
from graphstore.store import GraphStore
from loaders.refresh import Refresher
from loaders.report import DeliveryStatus, FileStatus

A, B, C = siren(11), siren(12), siren(13)
SB = siret(B, 1)


@pytest.fixture
def loaded(refresher: Refresher, tmp_path: Path) -> list[object]:
    two_deliveries(tmp_path / "drop")
    reports = refresher.refresh(tmp_path / "drop")
    for r in reports:
        bad = [(f.name, f.status, f.error, f.rejected) for f in r.files if f.status != FileStatus.LOADED or f.rejected]
        assert bad == [] and r.status == DeliveryStatus.LOADED, bad
    return list(reports)


def _events(store: GraphStore, kind: str) -> list[dict[str, object]]:
    return store.read(
        "MATCH (t:TimelineEvent {kind: $k})-[:ABOUT]->(c:Company) "
        "RETURN c.siren AS siren, t.occurred_on AS on, t.delivery AS delivery, t.payload AS payload, t.id AS id "
        "ORDER BY on, id",
        {"k": kind},
    )


def test_ownership_directors_and_groups(loaded: object, store: GraphStore) -> None:
    owns = store.read(
        "MATCH (o)-[r:OWNS]->(c:Company) RETURN coalesce(o.siren, o.id) AS owner, c.siren AS owned, "
        "r.percentage AS pct, r.nature AS nature, r.until AS until, r.delivery AS delivery ORDER BY owner"
    )
    assert [
        (r["owner"], r["owned"], r["pct"], r["until"] and r["until"].iso_format(), r["delivery"]) for r in owns
    ] == [
        (A, B, 60.0, "2024-02-15", "2024-02"),  # the re-sent row ended the link, no second OWNS
        ("P1", A, 100.0, None, "2024-01"),
    ]
    person = store.read("MATCH (p:Person {id: 'P1'}) RETURN p.last_name AS n, p.birth_year AS y")
    assert person == [{"n": "DUPONT", "y": 1970}]
    directs = store.read(
        "MATCH (d)-[r:DIRECTS]->(c:Company) RETURN coalesce(d.siren, d.id) AS who, c.siren AS what, r.role AS role "
        "ORDER BY what"
    )
    assert directs == [{"who": "P1", "what": A, "role": "Président"}, {"who": A, "what": B, "role": "Président"}]
    groups = store.read("MATCH (c:Company)-[:MEMBER_OF]->(g:Group) RETURN c.siren AS c, g.id AS g ORDER BY c")
    assert groups == [{"c": A, "g": A}, {"c": B, "g": C}]  # B moved to group C
    [change] = _events(store, "group_change")
    assert change["siren"] == B and json.loads(str(change["payload"])) == {"from": A, "to": C}
    ownership = _events(store, "ownership_change")
    assert [(e["siren"], e["on"].iso_format(), e["id"].rsplit(":", 1)[1]) for e in ownership] == [  # type: ignore[attr-defined, union-attr]
        (A, "2015-06-01", "start"),
        (B, "2020-01-01", "start"),
        (B, "2024-02-15", "end"),
    ]


def test_one_procedure_per_judgment_whatever_the_sources(loaded: object, store: GraphStore) -> None:
    rows = store.read(
        "MATCH (c:Company)-[:SUBJECT_OF]->(p:ProcedureCollective) RETURN c.siren AS siren, p.id AS id, p.kind AS kind, "
        "p.stage AS stage, p.sources AS sources, p.source AS source, p.judgment_date AS on"
    )
    assert len(rows) == 1
    p = rows[0]
    assert (p["siren"], p["kind"], p["stage"], p["on"].iso_format()) == (B, "redressement", "ouverture", "2024-02-20")
    assert p["source"] == "urssaf" and p["sources"] == ["urssaf", "bodacc"]  # pcoll loads before BODACC
    assert [e["siren"] for e in _events(store, "insolvency_judgment")] == [B]


def test_supplies_recomputed_from_the_flows(loaded: object, store: GraphStore) -> None:
    rows = store.read(
        "MATCH (s:Company)-[r:SUPPLIES]->(c:Company) RETURN s.siren AS s, c.siren AS c, r.amount_12m AS amount, "
        "r.supplier_dependency AS sd, r.client_dependency AS cd, r.since AS since, r.last_month AS last, "
        "r.source_file AS f, r.first_known_on AS first, r.known_on AS known ORDER BY c"
    )
    # Written after the February delivery, first shown by January's flows.
    assert {(r["first"].iso_format(), r["known"].iso_format()) for r in rows} == {("2024-01-31", "2024-02-29")}
    assert [(r["s"], r["c"], r["amount"], r["since"].iso_format(), r["last"].iso_format()) for r in rows] == [
        (C, A, 3000.0, "2023-12-01", "2024-01-01"),
        (C, B, 1000.0, "2024-01-01", "2024-01-01"),
    ]
    assert [r["sd"] for r in rows] == pytest.approx([0.75, 0.25])  # A is 3000 of C's 4000 sales
    assert [r["cd"] for r in rows] == pytest.approx([1.0, 1.0])  # C is all of A's and B's purchases
    assert {r["f"] for r in rows} == {"flux_facturation_2024-01.csv"}


def test_measures_and_the_events_they_imply(loaded: object, store: GraphStore, measures: MeasureStore) -> None:
    debt = debt_series(B, store=measures, months=[date(2024, 1, 1), date(2024, 2, 1)])
    assert debt["debt"].tolist() == [3000.0, 6000.0]
    assert debt_series(B, known_by=date(2024, 1, 31), store=measures, months=[date(2024, 2, 1)])["debt"].tolist() == [
        3000.0
    ]
    assert headcount_series(B, store=measures)["headcount"].tolist() == [20.0, 20.0, 10.0]
    stw = short_time_work(B, store=measures)
    assert stw.loc[stw["month"] == "2024-02-01", "hours_used"].tolist() == [300.0]
    assert stw["hours_authorised"].tolist() == [300.0, 300.0, 300.0]  # 900 h over February to April

    assert [(e["on"].iso_format(), e["delivery"]) for e in _events(store, "debt_appears")] == [
        ("2024-01-01", "2024-01")
    ]  # type: ignore[attr-defined]
    grows = _events(store, "debt_grows")
    assert [(e["on"].iso_format(), e["delivery"]) for e in grows] == [("2024-02-01", "2024-02")]  # type: ignore[attr-defined]
    assert json.loads(str(grows[0]["payload"])) == {"month": "2024-02", "debt_before": 3000.0, "debt": 6000.0}
    assert [e["on"].iso_format() for e in _events(store, "headcount_drop")] == ["2024-02-01"]  # type: ignore[attr-defined]
    assert [e["id"] for e in _events(store, "payment_plan")] == ["payment_plan:217000000001:2024-01-15"]
    assert [e["id"] for e in _events(store, "ccsf")] == ["ccsf:217000000001:2024-01-20:DEBUT"]
    assert [e["id"] for e in _events(store, "short_time_work_requested")] == ["short_time_work_requested:DA1"]
    assert [e["id"] for e in _events(store, "short_time_work_used")] == ["short_time_work_used:DA1"]
    # Every event is about a company and keeps its provenance.
    assert store.read(
        "MATCH (t:TimelineEvent) WHERE NOT (t)-[:ABOUT]->(:Company) OR t.source_file IS NULL OR t.known_on IS NULL "
        "RETURN count(t) AS n"
    ) == [{"n": 0}]
