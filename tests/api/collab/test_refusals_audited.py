"""A refused mutation leaves exactly one ``denied`` audit entry, whatever its domain, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
import support_interventions as w
from api_support import LiveApi, codes

from graph_api.audit.refusals import refusal_target
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

OPEN = "mutation($siren: String!) { openIntervention(siren: $siren, kind: CCSF) { id } }"
CHANGE = "mutation($id: ID!) { changeInterventionStatus(id: $id, status: IN_PROGRESS) { id } }"
ACK = "mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }"
FOLLOW = "mutation($siren: String!) { followCompany(siren: $siren, reason: OTHER) { since } }"


@pytest.fixture(scope="module")
def store(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    s = GraphStore()
    w.build(s)
    return s


def _refused(api: LiveApi, store: GraphStore, agent: str, query: str, variables: dict[str, Any]) -> list[Any]:
    before = w.counts(store)
    body, request_id = w.call(api, w.token(api, agent), query, variables)
    assert codes(body) == ["FORBIDDEN"], body
    assert w.counts(store) == before  # no change, no event, no "allowed" entry
    return [(a["action"], a["target"], a["outcome"], a["agency"]) for a in w.audit_of(store, request_id)]


def test_refusals_of_every_domain_are_audited_once(api: LiveApi, store: GraphStore) -> None:
    # BDF-75 has no basis on a company of the Côte-d'Or: opening there is refused
    assert _refused(api, store, "bdf", OPEN, {"siren": w.IN_21}) == [
        ("mutation:openIntervention", f"company:{w.IN_21}", "denied", w.BDF)
    ]
    body, _ = w.call(api, w.token(api, "urssaf"), OPEN, {"siren": w.IN_21})
    iid = body["data"]["openIntervention"]["id"]
    # a non-participating agency may not move it
    assert _refused(api, store, "dreets", CHANGE, {"id": iid}) == [
        ("mutation:changeInterventionStatus", f"intervention:{iid}", "denied", w.DREETS)
    ]
    # an alert outside the caller's zones
    alert = w.alert_id(w.ALERT_21)
    assert _refused(api, store, "bdf", ACK, {"id": alert}) == [
        ("mutation:acknowledgeAlert", f"alert:{alert}", "denied", w.BDF)
    ]
    # the follows domain records its own refusals: still exactly one entry
    assert _refused(api, store, "bdf", FOLLOW, {"siren": w.IN_21}) == [
        ("mutation:followCompany", f"company:{w.IN_21}", "denied", w.BDF)
    ]


def test_missing_write_scope_is_a_denied_attempt(api: LiveApi, store: GraphStore) -> None:
    before = w.counts(store)
    body, request_id = w.call(api, w.token(api, "urssaf", scope="openid signaux"), OPEN, {"siren": w.OTHER_21})
    assert codes(body) == ["FORBIDDEN"]
    assert w.counts(store) == before
    assert [(a["action"], a["outcome"]) for a in w.audit_of(store, request_id)] == [
        ("mutation:openIntervention", "denied")
    ]


def test_refusal_target_names_what_was_aimed_at() -> None:
    assert refusal_target("intervention", {"id": "i-1", "status": "OPEN"}) == "intervention:i-1"
    assert refusal_target("alert", {"alert_id": "123:2025-11", "useful": True}) == "alert:123:2025-11"
    assert refusal_target("timeline", {"siren": "123456789", "event_id": "e"}) == "company:123456789"
    assert refusal_target("me", {"email": "x@example.fr"}) == "me:-"
