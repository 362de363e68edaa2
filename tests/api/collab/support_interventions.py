"""A small world for the intervention and alert-handling tests, and helpers to inspect the graph.

Three agencies: URSSAF-21 and DREETS-21 cover the Côte-d'Or (21), BDF-75 covers
Paris (75). Companies in both départements, scores (so the ``scores`` block can
be checked against the access matrix) and published alerts.
"""

from __future__ import annotations

from typing import Any

from api_support import LiveApi

from graphstore.store import GraphStore

URSSAF = "URSSAF-21"
DREETS = "DREETS-21"
BDF = "BDF-75"
AGENCIES = (URSSAF, DREETS, BDF)

IN_21 = "300000001"  # in 21, never listed: interventions opened by 21 agencies
IN_75 = "300000002"  # in 75, never listed: only an intervention gives URSSAF-21 access
ALERT_21 = "300000003"  # in 21, on the November list
ALERT_75 = "300000004"  # in 75, on the November list
UNLISTED_21 = "300000005"  # in 21, an alert that was never published
OTHER_21 = "300000006"  # in 21, spare company for tests that must not share state
PERIOD = "2025-11"
COMPANIES = {IN_21: "21", IN_75: "75", ALERT_21: "21", ALERT_75: "75", UNLISTED_21: "21", OTHER_21: "21"}

# name: (agency, zones, roles)
AGENTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "urssaf": (URSSAF, ("21",), ("urssaf", "score", "detection")),
    "urssaf2": (URSSAF, ("21",), ("urssaf", "score", "detection")),
    "urssaf_nodetect": (URSSAF, ("21",), ("urssaf", "score")),
    "dreets": (DREETS, ("21",), ("dgefp", "score", "detection")),
    "bdf": (BDF, ("75",), ("bdf", "score", "detection")),
    "auditor": ("AUDIT", ("21",), ("auditor",)),
}


def alert_id(siren: str) -> str:
    """The id scoring gives the alert of ``siren`` for ``PERIOD``."""
    return f"{siren}:{PERIOD}"


def build(store: GraphStore) -> None:
    """Wipes the graph (but the migrations) and writes the world."""
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    for code in AGENCIES:
        store.write("MERGE (:Agency {code: $code})", {"code": code})
    for siren, dep in COMPANIES.items():
        store.write(
            "CREATE (c:Company {siren: $siren, name: 'Société ' + $siren, departement: $dep, active: true, "
            "region: CASE $dep WHEN '21' THEN '27' ELSE '11' END}) "
            "CREATE (:Score {id: $siren + ':' + $period, siren: $siren, period: $period, p12: 0.31, p18: 0.4, "
            "p24: 0.5, model_version: 'v-test', explanation: '{}'})-[:FOR]->(c)",
            {"siren": siren, "dep": dep, "period": PERIOD},
        )
    for siren, listed in ((ALERT_21, True), (ALERT_75, True), (UNLISTED_21, False)):
        store.write(
            "MATCH (c:Company {siren: $siren}) CREATE (:Alert {id: $id, siren: $siren, period: $period, "
            "level: 'high', region: c.region, first_alert: true, listed: $listed, p12: 0.31, rank: 1})-[:FOR]->(c)",
            {"siren": siren, "id": alert_id(siren), "period": PERIOD, "listed": listed},
        )


def token(api: LiveApi, name: str, scope: str | None = None) -> str:
    """A real token for one of ``AGENTS``."""
    agency, zones, roles = AGENTS[name]
    if scope is None:
        return str(api.token(f"t7-{name}", agency=agency, zones=zones, roles=roles))
    return str(api.token(f"t7-{name}", agency=agency, zones=zones, roles=roles, scope=scope))


def call(api: LiveApi, tok: str, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """POSTs an operation; the JSON body and the request id."""
    response = api.post(tok, query, variables)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body, response.headers["x-request-id"]


def counts(store: GraphStore, siren: str | None = None) -> dict[str, int]:
    """What mutations write, counted (per company when given): to show that a refusal wrote nothing."""
    row = store.read(
        "CALL () { MATCH (i:Intervention) WHERE $siren IS NULL OR i.siren = $siren RETURN count(i) AS interventions } "
        "CALL () { MATCH ()-[p:PARTICIPATES_IN]->(i:Intervention) WHERE $siren IS NULL OR i.siren = $siren "
        "          RETURN count(p) AS participations, count(p.left_at) AS left } "
        "CALL () { MATCH (e:TimelineEvent) WHERE $siren IS NULL OR e.siren = $siren RETURN count(e) AS events } "
        "CALL () { MATCH (a:AuditEntry {outcome: 'allowed'}) WHERE a.action STARTS WITH 'mutation:' RETURN count(a) AS audited } "
        "CALL () { MATCH ()-[h:HANDLES]->(a:Alert) WHERE $siren IS NULL OR a.siren = $siren "
        "          RETURN count(h) AS handles, sum(coalesce(h.version, 0)) AS handle_versions } "
        "CALL () { MATCH (f:DetectionFeedback) WHERE $siren IS NULL OR f.siren = $siren RETURN count(f) AS feedback } "
        "CALL () { MATCH (i:Intervention) WHERE $siren IS NULL OR i.siren = $siren "
        "          RETURN sum(coalesce(i.version, 0)) AS versions, collect(i.status) AS statuses } "
        "RETURN interventions, participations, left, events, audited, handles, handle_versions, feedback, versions, "
        "       size(statuses) AS n",
        {"siren": siren},
    )[0]
    return {k: int(v) for k, v in row.items()}


def audit_of(store: GraphStore, request_id: str) -> list[dict[str, Any]]:
    """The audit entries a request wrote."""
    return [dict(r["a"]) for r in store.read("MATCH (a:AuditEntry {request_id: $r}) RETURN a", {"r": request_id})]


def events_of(store: GraphStore, siren: str, kind: str) -> list[dict[str, Any]]:
    """A company's timeline events of one kind, oldest first (payload decoded), with the company they are ABOUT."""
    import json

    rows = store.read(
        "MATCH (e:TimelineEvent {kind: $kind})-[:ABOUT]->(c:Company {siren: $siren}) "
        "RETURN e, c.siren AS about ORDER BY e.at, e.id",
        {"siren": siren, "kind": kind},
    )
    out = []
    for r in rows:
        e = dict(r["e"])
        e["payload"] = json.loads(e["payload"])
        e["about"] = r["about"]
        out.append(e)
    return out
