"""Interventions over HTTP with real tokens and three agencies: the transition matrix, participants
against the access matrix, who may read and change, malformed inputs, audit and timeline events."""

from __future__ import annotations

import re
from typing import Any

import pytest
import support_interventions as w
from api_support import LiveApi, codes, error_paths

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

FIELDS = "id siren kind status openedBy closedAt outcome allowedTransitions participants { agency role joinedAt leftAt active }"
OPEN = f"""mutation($siren: String!, $kind: InterventionKind!, $participants: [ParticipantInput!]) {{
  openIntervention(siren: $siren, kind: $kind, participants: $participants) {{ {FIELDS} }} }}"""
CHANGE = f"""mutation($id: ID!, $status: InterventionStatus!, $expected: InterventionStatus) {{
  changeInterventionStatus(id: $id, status: $status, expectedStatus: $expected) {{ {FIELDS} }} }}"""
CLOSE = f"""mutation($id: ID!, $outcome: String!) {{ closeIntervention(id: $id, outcome: $outcome) {{ {FIELDS} }} }}"""
ADD = f"""mutation($id: ID!, $agency: String!, $role: ParticipantRole!) {{
  addParticipant(id: $id, agency: $agency, role: $role) {{ {FIELDS} }} }}"""
LEAVE = f"""mutation($id: ID!) {{ leaveIntervention(id: $id) {{ {FIELDS} }} }}"""
ONE = f"""query($id: ID!) {{ intervention(id: $id) {{ {FIELDS} }} }}"""
LIST = """query($siren: String!) { interventions(siren: $siren) { id status } }"""
SCORES = """query($siren: String!) { company(siren: $siren) { siren scores { latest { p12 } } } }"""

STATUSES = ("OPEN", "IN_PROGRESS", "UNDER_WATCH", "CLOSED")
# The matrix, written out by hand (docs/interventions.md), not computed from the code under test.
ALLOWED = {
    ("OPEN", "IN_PROGRESS"),
    ("OPEN", "CLOSED"),
    ("IN_PROGRESS", "UNDER_WATCH"),
    ("IN_PROGRESS", "CLOSED"),
    ("UNDER_WATCH", "IN_PROGRESS"),
    ("UNDER_WATCH", "CLOSED"),
}
PATH_TO = {
    "OPEN": [],
    "IN_PROGRESS": ["IN_PROGRESS"],
    "UNDER_WATCH": ["IN_PROGRESS", "UNDER_WATCH"],
    "CLOSED": ["CLOSED"],
}


@pytest.fixture(scope="module")
def store(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    s = GraphStore()
    w.build(s)
    return s


def _ok(body: dict[str, Any]) -> dict[str, Any]:
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def _open(api: LiveApi, agent: str, siren: str, participants: list[dict[str, str]] | None = None) -> dict[str, Any]:
    body, _ = w.call(api, w.token(api, agent), OPEN, {"siren": siren, "kind": "CCSF", "participants": participants})
    return _ok(body)["openIntervention"]  # type: ignore[no-any-return]


def _move(api: LiveApi, agent: str, iid: str, status: str) -> tuple[dict[str, Any], str]:
    tok = w.token(api, agent)
    if status == "CLOSED":
        return w.call(api, tok, CLOSE, {"id": iid, "outcome": "payment plan agreed"})
    return w.call(api, tok, CHANGE, {"id": iid, "status": status})


def _status(store: GraphStore, iid: str) -> str:
    return str(store.read("MATCH (i:Intervention {id: $id}) RETURN i.status AS s", {"id": iid})[0]["s"])


@pytest.mark.parametrize("target", STATUSES)
@pytest.mark.parametrize("current", STATUSES)
def test_transition_matrix(api: LiveApi, store: GraphStore, current: str, target: str) -> None:
    iid = _open(api, "urssaf", w.IN_21)["id"]
    for step in PATH_TO[current]:
        body, _ = _move(api, "urssaf", iid, step)
        _ok(body)
    assert _status(store, iid) == current.lower()
    before = w.counts(store, w.IN_21)
    body, request_id = _move(api, "urssaf", iid, target)
    after = w.counts(store, w.IN_21)
    if (current, target) in ALLOWED:
        data = _ok(body)
        moved = data.get("changeInterventionStatus") or data["closeIntervention"]
        assert moved["status"] == target
        assert _status(store, iid) == target.lower()
        kind = "intervention_closed" if target == "CLOSED" else "intervention_status_changed"
        event = [e for e in w.events_of(store, w.IN_21, kind) if e["payload"]["intervention"] == iid][-1]
        assert event["payload"]["from"] == current.lower() and event["payload"]["to"] == target.lower()
        assert event["payload"]["by"] == w.URSSAF and event["source"] == "api" and event["about"] == w.IN_21
        [entry] = w.audit_of(store, request_id)
        action = "mutation:closeIntervention" if target == "CLOSED" else "mutation:changeInterventionStatus"
        assert (entry["action"], entry["target"], entry["agency"]) == (action, f"intervention:{iid}", w.URSSAF)
        assert entry["in_zone"] is True
        assert after["events"] == before["events"] + 1 and after["audited"] == before["audited"] + 1
        if target == "CLOSED":
            assert moved["outcome"] == "payment plan agreed" and moved["closedAt"] and moved["allowedTransitions"] == []
    else:
        assert codes(body) == ["INVALID_TRANSITION"], body
        assert body["data"] is None
        assert _status(store, iid) == current.lower()
        # The refused change took the lock (version + 1) before its check: equal counts prove a rollback.
        assert after == before
        assert w.audit_of(store, request_id) == []


def test_open_writes_lead_participants_event_and_audit(api: LiveApi, store: GraphStore) -> None:
    body, request_id = w.call(
        api,
        w.token(api, "urssaf"),
        OPEN,
        {
            "siren": w.OTHER_21,
            "kind": "URSSAF_PAYMENT_PLAN",
            "participants": [{"agency": w.DREETS, "role": "OBSERVER"}],
        },
    )
    opened = _ok(body)["openIntervention"]
    assert opened["status"] == "OPEN" and opened["kind"] == "URSSAF_PAYMENT_PLAN" and opened["openedBy"] == w.URSSAF
    assert opened["allowedTransitions"] == ["IN_PROGRESS", "CLOSED"]
    roles = {(p["agency"], p["role"], p["active"]) for p in opened["participants"]}
    assert roles == {(w.URSSAF, "LEAD", True), (w.DREETS, "OBSERVER", True)}
    [event] = w.events_of(store, w.OTHER_21, "intervention_opened")
    assert event["payload"]["intervention"] == opened["id"] and event["payload"]["kind"] == "urssaf_payment_plan"
    assert {p["agency"] for p in event["payload"]["participants"]} == {w.URSSAF, w.DREETS}
    [entry] = w.audit_of(store, request_id)
    assert (entry["action"], entry["target"]) == ("mutation:openIntervention", f"intervention:{opened['id']}")
    # The event and the entry come from the same request and the same commit.
    assert entry["outcome"] == "allowed" and entry["sub"] == "t7-urssaf"


def _scores(api: LiveApi, agent: str, siren: str) -> str | None:
    """The outcome of reading the scores block: None when shown, else the error code."""
    body, _ = w.call(api, w.token(api, agent), SCORES, {"siren": siren})
    code = error_paths(body).get(("company", "scores"))
    return None if code is None else str(code)


def test_participants_against_the_access_matrix(api: LiveApi, store: GraphStore) -> None:
    # URSSAF-21 covers 21 only; IN_75 was never listed: no basis before the intervention.
    assert _scores(api, "urssaf", w.IN_75) == "FORBIDDEN"
    opened = _open(api, "bdf", w.IN_75, [{"agency": w.URSSAF, "role": "CONTRIBUTOR"}])
    iid = opened["id"]
    assert _scores(api, "urssaf", w.IN_75) is None  # joined agency gains access
    basis = store.read(
        "MATCH (a:AuditEntry {agency: $ag, action: 'read:scores', target: $t}) RETURN a.basis AS b ORDER BY a.at DESC",
        {"ag": w.URSSAF, "t": f"company:{w.IN_75}"},
    )
    assert basis[0]["b"] == "intervention"
    assert _scores(api, "dreets", w.IN_75) == "FORBIDDEN"  # not a participant

    body, _ = w.call(api, w.token(api, "urssaf"), LEAVE, {"id": iid})
    left = _ok(body)["leaveIntervention"]
    assert [(p["agency"], p["active"]) for p in left["participants"] if p["agency"] == w.URSSAF] == [(w.URSSAF, False)]
    assert _scores(api, "urssaf", w.IN_75) == "FORBIDDEN"  # left agency loses access
    assert [e["payload"]["agency"] for e in w.events_of(store, w.IN_75, "intervention_participant_left")] == [w.URSSAF]
    # ...and may neither read nor change the intervention any more.
    body, _ = w.call(api, w.token(api, "urssaf"), ONE, {"id": iid})
    assert codes(body) == ["FORBIDDEN"]
    body, _ = w.call(api, w.token(api, "urssaf"), CHANGE, {"id": iid, "status": "IN_PROGRESS"})
    assert codes(body) == ["FORBIDDEN"]

    body, _ = w.call(api, w.token(api, "bdf"), ADD, {"id": iid, "agency": w.URSSAF, "role": "CONTRIBUTOR"})
    rejoined = _ok(body)["addParticipant"]
    stints = [
        (p["role"], p["active"], p["leftAt"] is None) for p in rejoined["participants"] if p["agency"] == w.URSSAF
    ]
    assert stints == [("CONTRIBUTOR", False, False), ("CONTRIBUTOR", True, True)]  # history kept
    assert _scores(api, "urssaf", w.IN_75) is None
    assert len(w.events_of(store, w.IN_75, "intervention_participant_joined")) == 1

    body, _ = w.call(api, w.token(api, "bdf"), CLOSE, {"id": iid, "outcome": "credit mediation succeeded"})
    assert _ok(body)["closeIntervention"]["status"] == "CLOSED"
    assert _scores(api, "urssaf", w.IN_75) == "FORBIDDEN"  # a closed intervention grants nothing
    # BDF-75 still has the company in its zone, but it was never listed: nothing either.
    assert _scores(api, "bdf", w.IN_75) == "FORBIDDEN"
    # Those who closed it still read it, with its outcome and whole history.
    body, _ = w.call(api, w.token(api, "bdf"), ONE, {"id": iid})
    closed = _ok(body)["intervention"]
    assert closed["outcome"] == "credit mediation succeeded" and len(closed["participants"]) == 3


def test_who_reads_an_intervention(api: LiveApi, store: GraphStore) -> None:
    iid = _open(api, "urssaf", w.ALERT_21)["id"]
    unknown = "00000000-0000-0000-0000-000000000000"
    for agent, expected in (("urssaf", None), ("dreets", None), ("bdf", "FORBIDDEN")):
        # DREETS-21: the company is in its zones and on a detection list; BDF-75: no tie at all.
        body, _ = w.call(api, w.token(api, agent), ONE, {"id": iid})
        assert (codes(body) or [None]) == [expected], (agent, body)
        body, _ = w.call(api, w.token(api, agent), LIST, {"siren": w.ALERT_21})
        ids = [i["id"] for i in _ok(body)["interventions"]]
        assert (iid in ids) is (expected is None)
    body, _ = w.call(api, w.token(api, "bdf"), ONE, {"id": unknown})
    refused, _ = w.call(api, w.token(api, "bdf"), ONE, {"id": iid})
    assert body["errors"][0]["message"] == refused["errors"][0]["message"] == "Not allowed."
    assert codes(body) == codes(refused) == ["FORBIDDEN"]


def test_only_participants_change_it(api: LiveApi, store: GraphStore) -> None:
    iid = _open(api, "urssaf", w.OTHER_21, [{"agency": w.BDF, "role": "OBSERVER"}])["id"]
    before = w.counts(store, w.OTHER_21)
    for query, variables in (
        (CHANGE, {"id": iid, "status": "IN_PROGRESS"}),
        (CLOSE, {"id": iid, "outcome": "done"}),
        (ADD, {"id": iid, "agency": w.DREETS, "role": "LEAD"}),
        (LEAVE, {"id": iid}),
    ):
        body, _ = w.call(api, w.token(api, "dreets"), query, variables)  # DREETS-21 is not in it
        assert codes(body) == ["FORBIDDEN"], body
    assert w.counts(store, w.OTHER_21) == before
    # Any participant may change it, whatever its role or zones.
    body, _ = w.call(api, w.token(api, "bdf"), CHANGE, {"id": iid, "status": "IN_PROGRESS"})
    assert _ok(body)["changeInterventionStatus"]["status"] == "IN_PROGRESS"


def test_open_needs_a_tie_to_the_company(api: LiveApi, store: GraphStore) -> None:
    before = w.counts(store)
    for siren in (w.IN_75, "999999999"):  # out of zone and not involved; unknown: refused alike
        body, _ = w.call(api, w.token(api, "dreets"), OPEN, {"siren": siren, "kind": "OTHER", "participants": None})
        assert codes(body) == ["FORBIDDEN"]
    assert w.counts(store) == before


MALFORMED = [
    ("siren", OPEN, {"siren": "12", "kind": "CCSF", "participants": None}, "BAD_USER_INPUT", "siren"),
    ("unknown agency", OPEN, {"siren": w.IN_21, "kind": "CCSF", "participants": [{"agency": "NOPE-99"}]},
     "BAD_USER_INPUT", "participants"),
    ("twice", OPEN, {"siren": w.IN_21, "kind": "CCSF",
                     "participants": [{"agency": w.DREETS}, {"agency": w.DREETS, "role": "OBSERVER"}]},
     "BAD_USER_INPUT", "participants"),
    ("self", OPEN, {"siren": w.IN_21, "kind": "CCSF", "participants": [{"agency": w.URSSAF}]},
     "BAD_USER_INPUT", "participants"),
    # An unknown kind written in the document (an unknown enum value in *variables* comes back
    # INTERNAL_SERVER_ERROR from graph_api.hardening.errors: reported, not this domain's code).
    ("kind", "mutation { openIntervention(siren: \"300000001\", kind: LOAN) { id } }", {},
     "GRAPHQL_VALIDATION_FAILED", None),
    ("close via change", CHANGE, {"id": "{iid}", "status": "CLOSED"}, "BAD_USER_INPUT", "status"),
    ("blank outcome", CLOSE, {"id": "{iid}", "outcome": "   "}, "BAD_USER_INPUT", "outcome"),
    ("oversized outcome", CLOSE, {"id": "{iid}", "outcome": "x" * 2001}, "BAD_USER_INPUT", "outcome"),
    ("already in", ADD, {"id": "{iid}", "agency": w.DREETS, "role": "LEAD"}, "BAD_USER_INPUT", "agency"),
    ("unknown agency added", ADD, {"id": "{iid}", "agency": "NOPE-99", "role": "LEAD"}, "BAD_USER_INPUT", "agency"),
    ("stale", CHANGE, {"id": "{iid}", "status": "IN_PROGRESS", "expected": "UNDER_WATCH"}, "CONFLICT",
     "expectedStatus"),
    ("unknown id", CHANGE, {"id": "nope", "status": "IN_PROGRESS"}, "FORBIDDEN", None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "query", "variables", "code", "argument"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_inputs_write_nothing(
    api: LiveApi, store: GraphStore, case: str, query: str, variables: dict[str, Any], code: str, argument: str | None
) -> None:
    iid = _open(api, "urssaf", w.IN_21, [{"agency": w.DREETS, "role": "CONTRIBUTOR"}])["id"]
    filled = {k: (iid if v == "{iid}" else v) for k, v in variables.items()}
    before = w.counts(store)
    body, request_id = w.call(api, w.token(api, "urssaf"), query, filled)
    assert codes(body) == [code], body
    if argument is not None:
        assert body["errors"][0]["extensions"]["argument"] == argument
    assert w.counts(store) == before
    # a refusal is on the trail as a denied attempt; a malformed input is not an attempt
    audited = [(a["action"], a["outcome"]) for a in w.audit_of(store, request_id)]
    mutation = re.search(r"\{\s*(\w+)\(", query)
    assert mutation is not None
    assert audited == ([(f"mutation:{mutation.group(1)}", "denied")] if code == "FORBIDDEN" else [])


def test_last_participant_cannot_leave_and_write_scope_is_needed(api: LiveApi, store: GraphStore) -> None:
    iid = _open(api, "urssaf", w.IN_21)["id"]
    before = w.counts(store)
    body, _ = w.call(api, w.token(api, "urssaf"), LEAVE, {"id": iid})
    assert codes(body) == ["INVALID_TRANSITION"]
    read_only = w.token(api, "urssaf", scope="openid signaux")
    body, _ = w.call(api, read_only, CHANGE, {"id": iid, "status": "IN_PROGRESS"})
    assert codes(body) == ["FORBIDDEN"]
    body, _ = w.call(api, read_only, OPEN, {"siren": w.IN_21, "kind": "CCSF", "participants": None})
    assert codes(body) == ["FORBIDDEN"]
    assert w.counts(store) == before


def test_concurrent_changes_are_serialised(api: LiveApi, store: GraphStore) -> None:
    """Two agencies move the same OPEN intervention at once: one wins, the other gets CONFLICT."""
    from concurrent.futures import ThreadPoolExecutor

    iid = _open(api, "urssaf", w.OTHER_21, [{"agency": w.DREETS, "role": "CONTRIBUTOR"}])["id"]
    tokens = {"urssaf": w.token(api, "urssaf"), "dreets": w.token(api, "dreets")}
    # Both expect OPEN; whichever commits second re-reads IN_PROGRESS under the lock.
    moves = [("urssaf", "IN_PROGRESS"), ("dreets", "IN_PROGRESS")]

    def run(move: tuple[str, str]) -> list[str]:
        agent, status = move
        response = api.http.post(
            api.url,
            json={"query": CHANGE, "variables": {"id": iid, "status": status, "expected": "OPEN"}},
            headers={"Authorization": f"Bearer {tokens[agent]}"},
        )
        return [str(c) for c in codes(response.json())]

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(tuple(c) for c in pool.map(run, moves))
    assert outcomes == [(), ("CONFLICT",)]
    assert _status(store, iid) == "in_progress"
    changed = [
        e for e in w.events_of(store, w.OTHER_21, "intervention_status_changed") if e["payload"]["intervention"] == iid
    ]
    assert len(changed) == 1


def test_rules_without_the_graph() -> None:
    """The pure rules (``graph_api.intervention.access``) on hand-made facts."""
    from graph_api.auth.principal import Principal
    from graph_api.doctrine.rules import CompanyFacts
    from graph_api.intervention import access
    from graph_api.intervention.model import InterventionStatus as S

    def agent(agency: str, zones: tuple[str, ...]) -> Principal:
        return Principal("s", "n", agency, frozenset(zones), frozenset(), frozenset(), "c", None)

    here, away = agent("A", ("21",)), agent("B", ("75",))
    company = CompanyFacts("300000001", exists=True, departement="21")
    assert access.can_open(here, company) and not access.can_open(away, company)
    assert access.can_open(away, CompanyFacts("300000001", True, "21", involved_agencies=frozenset({"B"})))
    assert not access.can_open(here, CompanyFacts("300000001", exists=False))
    facts = access.InterventionFacts("i", "300000001", S.OPEN, frozenset({"C"}))
    assert access.can_change(agent("C", ()), facts) and not access.can_change(here, facts)
    assert not access.can_read(here, facts, company)  # in zone but never listed, not involved
    listed = CompanyFacts("300000001", True, "21", listed=True)
    assert access.can_read(here, facts, listed) and not access.can_read(away, facts, listed)
    assert access.can_read(agent("C", ()), facts, None)
