"""Alert handling over HTTP with real tokens: acknowledge, dismiss, convert into an intervention,
per-agency HANDLES, who may handle, "was it useful?" feedback and its export for the model team."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import support_interventions as w
from api_support import LiveApi, codes

from graph_api.alert.export import pseudonym
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore
from signaux.cli import main as signaux_main

HANDLING = "alertId agency status reason by interventionId intervention { id kind status alertId openedBy }"
ACK = f"mutation($id: ID!) {{ acknowledgeAlert(id: $id) {{ {HANDLING} }} }}"
DISMISS = f"mutation($id: ID!, $reason: String!) {{ dismissAlert(id: $id, reason: $reason) {{ {HANDLING} }} }}"
CONVERT = f"""mutation($id: ID!, $kind: InterventionKind!) {{
  convertAlertToIntervention(id: $id, kind: $kind) {{ {HANDLING} }} }}"""
FEEDBACK = """mutation($id: ID!, $useful: Boolean!, $comment: String) {
  recordDetectionFeedback(alertId: $id, useful: $useful, comment: $comment) { alertId agency useful comment revisions }
}"""
ITEM = """query($id: ID!) { alertItem(id: $id) {
  id siren period level firstAlert handling { status reason } myFeedback { useful revisions } } }"""
EXPORT = """query($period: String) { detectionFeedback(period: $period) {
  alertId siren period agency agent useful comment revisions handlingStatus } }"""
SCORES = """query($siren: String!) { company(siren: $siren) { scores { latest { p12 } } } }"""


@pytest.fixture(scope="module")
def store(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    s = GraphStore()
    w.build(s)
    return s


def _ok(body: dict[str, Any]) -> dict[str, Any]:
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def _handles(store: GraphStore, alert: str) -> dict[str, dict[str, Any]]:
    rows = store.read("MATCH (ag:Agency)-[h:HANDLES]->(:Alert {id: $id}) RETURN ag.code AS code, h", {"id": alert})
    return {r["code"]: dict(r["h"]) for r in rows}


def test_handling_is_per_agency_and_follows_its_transitions(api: LiveApi, store: GraphStore) -> None:
    alert = w.alert_id(w.ALERT_21)
    urssaf = w.token(api, "urssaf")

    body, request_id = w.call(api, urssaf, ACK, {"id": alert})
    assert _ok(body)["acknowledgeAlert"]["status"] == "ACKNOWLEDGED"
    h = _handles(store, alert)
    assert set(h) == {w.URSSAF} and h[w.URSSAF]["status"] == "acknowledged" and h[w.URSSAF]["by"] == "t7-urssaf"
    assert h[w.URSSAF]["at"] is not None and h[w.URSSAF].get("reason") is None
    [entry] = w.audit_of(store, request_id)
    assert (entry["action"], entry["target"]) == ("mutation:acknowledgeAlert", f"alert:{alert}")
    [event] = w.events_of(store, w.ALERT_21, "alert_acknowledged")
    assert event["payload"] == {"alert": alert, "agency": w.URSSAF, "status": "acknowledged"}

    # Another agency sees the alert unhandled by itself; the same agency's other agent sees it acknowledged.
    body, _ = w.call(api, w.token(api, "dreets"), ITEM, {"id": alert})
    assert _ok(body)["alertItem"]["handling"] is None
    body, _ = w.call(api, w.token(api, "urssaf2"), ITEM, {"id": alert})
    item = _ok(body)["alertItem"]
    assert item["handling"]["status"] == "ACKNOWLEDGED" and item["siren"] == w.ALERT_21 and item["period"] == w.PERIOD

    before = w.counts(store, w.ALERT_21)
    body, request_id = w.call(api, w.token(api, "urssaf2"), ACK, {"id": alert})
    assert codes(body) == ["INVALID_TRANSITION"]
    assert w.counts(store, w.ALERT_21) == before  # the lock's version bump rolled back too
    assert w.audit_of(store, request_id) == []

    body, _ = w.call(api, urssaf, DISMISS, {"id": alert, "reason": "already under a payment plan"})
    assert _ok(body)["dismissAlert"]["reason"] == "already under a payment plan"
    body, _ = w.call(api, w.token(api, "dreets"), DISMISS, {"id": alert, "reason": "not our remit"})
    _ok(body)
    h = _handles(store, alert)
    assert {k: v["status"] for k, v in h.items()} == {w.URSSAF: "dismissed", w.DREETS: "dismissed"}
    body, _ = w.call(api, urssaf, ACK, {"id": alert})  # a dismissal may be reconsidered
    assert _ok(body)["acknowledgeAlert"]["status"] == "ACKNOWLEDGED"
    assert _handles(store, alert)[w.URSSAF].get("reason") is None


def test_convert_opens_a_linked_intervention(api: LiveApi, store: GraphStore) -> None:
    alert = w.alert_id(w.ALERT_21)
    before = w.counts(store, w.ALERT_21)
    body, request_id = w.call(api, w.token(api, "dreets"), CONVERT, {"id": alert, "kind": "SHORT_TIME_WORK"})
    handling = _ok(body)["convertAlertToIntervention"]
    opened = handling["intervention"]
    assert handling["status"] == "CONVERTED" and handling["interventionId"] == opened["id"]
    assert (opened["kind"], opened["status"], opened["alertId"], opened["openedBy"]) == (
        "SHORT_TIME_WORK", "OPEN", alert, w.DREETS
    )  # fmt: skip
    assert _handles(store, alert)[w.DREETS]["intervention_id"] == opened["id"]
    linked = store.read(
        "MATCH (ag:Agency)-[p:PARTICIPATES_IN]->(i:Intervention)-[:FROM_ALERT]->(:Alert {id: $id}) "
        "MATCH (i)-[:ABOUT]->(c:Company) RETURN i.id AS id, ag.code AS ag, p.role AS role, c.siren AS siren",
        {"id": alert},
    )
    assert [(r["id"], r["ag"], r["role"], r["siren"]) for r in linked] == [(opened["id"], w.DREETS, "lead", w.ALERT_21)]
    after = w.counts(store, w.ALERT_21)
    assert after["interventions"] == before["interventions"] + 1
    assert after["events"] == before["events"] + 2  # alert_converted and intervention_opened, one commit
    assert after["audited"] == before["audited"] + 1
    [entry] = w.audit_of(store, request_id)
    assert entry["action"] == "mutation:convertAlertToIntervention" and entry["in_zone"] is True
    [converted] = w.events_of(store, w.ALERT_21, "alert_converted")
    assert converted["payload"]["intervention"] == opened["id"]
    assert any(e["payload"]["alert"] == alert for e in w.events_of(store, w.ALERT_21, "intervention_opened"))

    # Converted is final for the agency: nothing more, nothing written.
    for query, variables in ((ACK, {"id": alert}), (DISMISS, {"id": alert, "reason": "x"}),
                             (CONVERT, {"id": alert, "kind": "OTHER"})):  # fmt: skip
        body, _ = w.call(api, w.token(api, "dreets"), query, variables)
        assert codes(body) == ["INVALID_TRANSITION"], body
    assert w.counts(store, w.ALERT_21) == after


@pytest.mark.parametrize(
    ("agent", "alert"),
    [
        ("bdf", w.alert_id(w.ALERT_21)),  # zones 75: not the company's
        ("urssaf_nodetect", w.alert_id(w.ALERT_21)),  # in zone, no detection role
        ("urssaf", w.alert_id(w.ALERT_75)),  # detection role, out of zone
        ("urssaf", w.alert_id(w.UNLISTED_21)),  # never published
        ("urssaf", "999999999:2025-11"),  # unknown
    ],
)
def test_who_may_handle(api: LiveApi, store: GraphStore, agent: str, alert: str) -> None:
    before = w.counts(store)
    tok = w.token(api, agent)
    for query, variables in (
        (ACK, {"id": alert}),
        (DISMISS, {"id": alert, "reason": "no"}),
        (CONVERT, {"id": alert, "kind": "CCSF"}),
        (FEEDBACK, {"id": alert, "useful": True, "comment": None}),
        (ITEM, {"id": alert}),
    ):
        body, _ = w.call(api, tok, query, variables)
        assert codes(body) == ["FORBIDDEN"], (query, body)
        assert body["errors"][0]["message"] == "Not allowed."
    assert w.counts(store) == before


@pytest.mark.parametrize(
    ("query", "variables", "argument"),
    [
        (DISMISS, {"reason": "  "}, "reason"),
        (DISMISS, {"reason": "r" * 1001}, "reason"),
        (FEEDBACK, {"useful": True, "comment": "c" * 2001}, "comment"),
        (ACK, {"id": "x" * 65}, "id"),
    ],
)
def test_malformed_inputs_write_nothing(
    api: LiveApi, store: GraphStore, query: str, variables: dict[str, Any], argument: str
) -> None:
    before = w.counts(store)
    body, request_id = w.call(api, w.token(api, "urssaf"), query, {"id": w.alert_id(w.ALERT_21), **variables})
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["argument"] == argument
    assert w.counts(store) == before and w.audit_of(store, request_id) == []


def test_feedback_is_per_agent_and_exported(api: LiveApi, store: GraphStore, tmp_path: Path) -> None:
    alert = w.alert_id(w.ALERT_21)
    answers = [
        ("urssaf", True, "debts confirmed"),
        ("urssaf2", False, None),
        ("dreets", True, "short-time work requested since"),
        ("urssaf", False, "on second thought, known already"),  # replaces the first answer
    ]
    for agent, useful, comment in answers:
        body, request_id = w.call(
            api, w.token(api, agent), FEEDBACK, {"id": alert, "useful": useful, "comment": comment}
        )
        data = _ok(body)["recordDetectionFeedback"]
        assert data["useful"] is useful and data["comment"] == comment
        [entry] = w.audit_of(store, request_id)
        assert entry["action"] == "mutation:recordDetectionFeedback"
    assert data["revisions"] == 2
    events = w.events_of(store, w.ALERT_21, "detection_feedback")
    assert len(events) == 4 and all("comment" not in e["payload"] for e in events)
    body, _ = w.call(api, w.token(api, "urssaf"), ITEM, {"id": alert})
    assert _ok(body)["alertItem"]["myFeedback"] == {"useful": False, "revisions": 2}

    out = tmp_path / "feedback.csv"
    assert signaux_main(["api", "export-feedback", "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    got = {(r["agency"], r["agent"]): r for r in rows if r["alert_id"] == alert}
    assert set(got) == {
        (w.URSSAF, pseudonym("t7-urssaf")),
        (w.URSSAF, pseudonym("t7-urssaf2")),
        (w.DREETS, pseudonym("t7-dreets")),
    }
    mine = got[(w.URSSAF, pseudonym("t7-urssaf"))]
    assert (mine["useful"], mine["comment"], mine["revisions"]) == ("False", "on second thought, known already", "2")
    assert (mine["siren"], mine["period"], mine["level"], mine["first_alert"]) == (w.ALERT_21, w.PERIOD, "high", "True")
    assert got[(w.DREETS, pseudonym("t7-dreets"))]["useful"] == "True"
    assert "t7-urssaf" not in out.read_text(encoding="utf-8")  # agents pseudonymised
    # The handling status is the agency's, whatever the earlier tests left (or empty if none ran).
    assert {r["handling_status"] for r in rows if r["agency"] == w.URSSAF} <= {"acknowledged", ""}
    empty = tmp_path / "none.csv"
    assert signaux_main(["api", "export-feedback", "--out", str(empty), "--period", "1999-01"]) == 0
    assert empty.read_text(encoding="utf-8").splitlines() == [",".join(
        ["alert_id", "siren", "period", "level", "region", "p12", "rank", "first_alert", "agency", "agent", "useful",
         "comment", "answered_at", "revisions", "handling_status"]
    )]  # fmt: skip

    body, request_id = w.call(api, w.token(api, "auditor"), EXPORT, {"period": w.PERIOD})
    listed = _ok(body)["detectionFeedback"]
    assert sorted((r["agency"], r["useful"]) for r in listed) == [
        (w.DREETS, True),
        (w.URSSAF, False),
        (w.URSSAF, False),
    ]
    assert [e["action"] for e in w.audit_of(store, request_id)] == ["read:detection_feedback"]
    body, _ = w.call(api, w.token(api, "urssaf"), EXPORT, {"period": None})
    assert codes(body) == ["FORBIDDEN"]


def test_handling_events_follow_the_scores_block(api: LiveApi, store: GraphStore) -> None:
    # alert_* events are SCORES-block kinds: the timeline shows them to who may see the company's scores.
    query = """query($siren: String!) { timeline(siren: $siren, kinds: ["alert_acknowledged", "alert_dismissed",
      "alert_converted", "detection_feedback"]) { totalCount hiddenBlocks } }"""
    body, _ = w.call(api, w.token(api, "urssaf"), query, {"siren": w.ALERT_21})
    seen = _ok(body)["timeline"]
    body, _ = w.call(api, w.token(api, "bdf"), query, {"siren": w.ALERT_21})
    hidden = _ok(body)["timeline"]
    written = store.read(
        "MATCH (e:TimelineEvent {siren: $s}) WHERE e.kind STARTS WITH 'alert_' OR e.kind = 'detection_feedback' "
        "RETURN count(e) AS n",
        {"s": w.ALERT_21},
    )[0]["n"]
    assert seen["totalCount"] == written and seen["hiddenBlocks"] == []
    assert hidden["totalCount"] == 0 and hidden["hiddenBlocks"] == ["scores"]


def test_alert_rules_without_the_graph() -> None:
    """``graph_api.alert.model`` on hand-made facts: the handling matrix and who may handle."""
    from graph_api.alert.model import AlertFacts, HandlingStatus, can_handle, can_move
    from graph_api.auth.principal import Principal

    a, d, c = HandlingStatus.ACKNOWLEDGED, HandlingStatus.DISMISSED, HandlingStatus.CONVERTED
    allowed = {(None, a), (None, d), (None, c), (a, d), (a, c), (d, a), (d, c)}  # by hand, as documented
    for current in (None, a, d, c):
        for target in (a, d, c):
            assert can_move(current, target) is ((current, target) in allowed), (current, target)

    def agent(zones: tuple[str, ...], roles: tuple[str, ...]) -> Principal:
        return Principal("s", "n", "A", frozenset(zones), frozenset(roles), frozenset(), "c", None)

    alert = AlertFacts("300000003:2025-11", "300000003", "21", listed=True)
    assert can_handle(agent(("21",), ("detection",)), alert)
    assert not can_handle(agent(("21",), ("score",)), alert)
    assert not can_handle(agent(("75",), ("detection",)), alert)
    assert not can_handle(agent(("21",), ("detection",)), AlertFacts(alert.id, alert.siren, "21", listed=False))
    assert not can_handle(agent(("21",), ("detection",)), None)
