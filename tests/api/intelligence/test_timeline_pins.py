"""Pins per agency and ``timeline(pinnedFirst: true)`` through HTTP with real tokens.

Company B's events: a judgment (public), two debts (URSSAF block) and an alert
(scores block). HOME pins some; another agency pins nothing and sees the plain
chronological stream.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes
from graph import HOME, add_event, siren

from graphstore.store import GraphStore

TIMELINE = """
query T($siren: String!, $first: Int, $after: String, $last: Int, $before: String, $pf: Boolean!) {
  timeline(siren: $siren, first: $first, after: $after, last: $last, before: $before, pinnedFirst: $pf) {
    totalCount
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    edges { cursor node { id pinned } }
  }
}
"""

PIN = "mutation P($siren: String!, $id: String!) { pinEvent(siren: $siren, eventId: $id) { id kind pinned } }"
UNPIN = "mutation U($siren: String!, $id: String!) { unpinEvent(siren: $siren, eventId: $id) { id pinned } }"

EVENTS = [
    ("b-2023-judgment", "insolvency_judgment", "2023-01-10", "bodacc"),
    ("b-2024-debt", "debt_appears", "2024-03-31", "urssaf"),
    ("b-2024-alert", "alert", "2024-06-15", "scoring"),
    ("b-2025-debt", "debt_grows", "2025-02-28", "urssaf"),
]


@pytest.fixture(scope="module")
def pin_events(built: GraphStore) -> GraphStore:
    for ident, kind, on, source in EVENTS:
        add_event(built, "B", ident, kind, on, source)
    return built


@pytest.fixture(scope="module")
def home(api: LiveApi) -> str:
    value: str = api.token("pin-home", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    return value


def _timeline(api: LiveApi, token: str, pinned_first: bool = True, **variables: Any) -> dict[str, Any]:
    body = api.gql(token, TIMELINE, {"siren": siren("B"), "pf": pinned_first, **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["timeline"]
    return result


def _ids(result: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in result["edges"]]


def _pin(api: LiveApi, token: str, event_id: str, query: str = PIN) -> dict[str, Any]:
    body: dict[str, Any] = api.gql(token, query, {"siren": siren("B"), "id": event_id})
    return body


def test_pinned_first_per_agency(api: LiveApi, pin_events: GraphStore, home: str) -> None:
    for event_id in ("b-2025-debt", "b-2023-judgment"):
        body = _pin(api, home, event_id)
        assert "errors" not in body, body
        assert body["data"]["pinEvent"]["pinned"] is True
    result = _timeline(api, home)
    assert _ids(result) == ["b-2023-judgment", "b-2025-debt", "b-2024-debt", "b-2024-alert"]
    assert [e["node"]["pinned"] for e in result["edges"]] == [True, True, False, False]
    assert _ids(_timeline(api, home, pinned_first=False)) == [e[0] for e in EVENTS]
    other = api.token("pin-other", agency="DREETS-21", zones=("21",), roles=("urssaf", "score"))
    theirs = _timeline(api, other)
    assert _ids(theirs) == [e[0] for e in EVENTS]
    assert not any(e["node"]["pinned"] for e in theirs["edges"])


def test_pinned_first_pages_both_ways_while_events_are_added(api: LiveApi, pin_events: GraphStore, home: str) -> None:
    first = _timeline(api, home, first=3)
    assert _ids(first) == ["b-2023-judgment", "b-2025-debt", "b-2024-debt"]
    # events land before the boundary (in the chronological part) and after it
    add_event(pin_events, "B", "b-2020-early", "debt_appears", "2020-01-31", "urssaf")
    add_event(pin_events, "B", "b-2024-same-day-z", "debt_grows", "2024-03-31", "urssaf")
    add_event(pin_events, "B", "b-2026-late", "ccsf", "2026-01-05", "urssaf")
    rest = _timeline(api, home, first=10, after=first["pageInfo"]["endCursor"])
    assert _ids(rest) == ["b-2024-same-day-z", "b-2024-alert", "b-2026-late"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["totalCount"] == 7
    # backward from the end crosses from the chronological part into the pinned one
    tail = _timeline(api, home, last=4)
    assert _ids(tail) == ["b-2024-debt", "b-2024-same-day-z", "b-2024-alert", "b-2026-late"]
    head = _timeline(api, home, last=10, before=tail["pageInfo"]["startCursor"])
    assert _ids(head) == ["b-2023-judgment", "b-2025-debt", "b-2020-early"]
    assert head["pageInfo"]["hasPreviousPage"] is False


def test_pin_is_idempotent_audited_and_logged_privately(api: LiveApi, pin_events: GraphStore, home: str) -> None:
    response = api.post(home, PIN, {"siren": siren("B"), "id": "b-2024-alert"})
    again = api.post(home, PIN, {"siren": siren("B"), "id": "b-2024-alert"})
    assert again.json()["data"]["pinEvent"] == {"id": "b-2024-alert", "kind": "alert", "pinned": True}
    audits = pin_events.read(
        "MATCH (a:AuditEntry {action: 'mutation:pinEvent'}) WHERE a.request_id IN $r RETURN a.target AS t",
        {"r": [response.headers["X-Request-Id"], again.headers["X-Request-Id"]]},
    )
    assert [a["t"] for a in audits] == [f"company:{siren('B')}"] * 2
    logged = pin_events.read(
        "MATCH (e:TimelineEvent {kind: 'event_pinned'})-[:ABOUT]->(:Company {siren: $s}) "
        "WHERE e.payload CONTAINS 'b-2024-alert' RETURN e.agency AS agency",
        {"s": siren("B")},
    )
    assert [r["agency"] for r in logged] == [HOME]  # the second pin changed nothing
    assert "event_pinned" not in str(_timeline(api, home))  # agency-private: never in the stream
    body = _pin(api, home, "b-2024-alert", UNPIN)
    assert body["data"]["unpinEvent"] == {"id": "b-2024-alert", "pinned": False}
    assert "b-2024-alert" not in _ids(_timeline(api, home, first=2))


def test_pin_only_what_you_may_see(api: LiveApi, pin_events: GraphStore) -> None:
    no_urssaf = api.token("pin-score-only", agency=HOME, zones=("21",), roles=("score",))
    assert codes(_pin(api, no_urssaf, "b-2024-debt")) == ["FORBIDDEN"]  # its block is refused
    assert codes(_pin(api, no_urssaf, "no-such-event")) == ["FORBIDDEN"]  # same answer when unknown
    assert codes(_pin(api, no_urssaf, "b-2024-alert")) == []
    read_only = api.token("pin-read-only", agency=HOME, zones=("21",), roles=("urssaf",), scope="openid signaux")
    assert codes(_pin(api, read_only, "b-2023-judgment")) == ["FORBIDDEN"]  # no signaux:write scope
    out_of_zone = api.token("pin-75", agency="DREETS-75", zones=("75",), roles=("urssaf",))
    assert codes(_pin(api, out_of_zone, "b-2024-debt")) == ["FORBIDDEN"]
    assert codes(_pin(api, out_of_zone, "b-2023-judgment")) == []  # a public event may be pinned by anyone


def test_pin_survives_the_event_being_reloaded(api: LiveApi, pin_events: GraphStore, home: str) -> None:
    assert "errors" not in _pin(api, home, "b-2024-debt")
    # a reload that replaces the event node entirely (same id) keeps the agency's pin
    pin_events.write("MATCH (e:TimelineEvent {id: 'b-2024-debt'}) DETACH DELETE e")
    add_event(pin_events, "B", "b-2024-debt", "debt_appears", "2024-03-31", "urssaf")
    result = _timeline(api, home, first=1)
    assert result["edges"][0]["node"] == {"id": "b-2023-judgment", "pinned": True}
    pinned = [e["node"]["id"] for e in _timeline(api, home)["edges"] if e["node"]["pinned"]]
    assert "b-2024-debt" in pinned
