"""timeline through HTTP with real tokens: doctrine per data block, filters, stable keyset pagination."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes
from graph import HOME, add_event, siren

from graphstore.store import GraphStore

TIMELINE = """
query T($siren: String!, $kinds: [String!], $sources: [String!], $from: Date, $to: Date,
        $first: Int, $after: String, $last: Int, $before: String) {
  timeline(siren: $siren, kinds: $kinds, sources: $sources, from: $from, to: $to,
           first: $first, after: $after, last: $last, before: $before) {
    totalCount hiddenBlocks
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    edges { cursor node { id kind source occurredOn knownOn summary payload pinned } }
  }
}
"""

EVENTS = [
    ("A", "a-judgment", "insolvency_judgment", "2025-03-01", "bodacc"),
    ("A", "a-group", "group_change", "2024-06-01", "tetes_de_groupe"),
    ("A", "a-debt", "debt_appears", "2025-01-31", "urssaf"),
    ("A", "a-ap", "short_time_work_used", "2025-02-01", "dgefp"),
    ("A", "a-alert", "alert", "2025-02-15", "scoring"),
    ("A", "a-mystery", "unclassified_kind", "2025-02-20", "test"),
    ("C", "c-judgment", "insolvency_judgment", "2025-03-01", "bodacc"),
    ("C", "c-debt", "debt_appears", "2025-01-31", "urssaf"),
]


@pytest.fixture(scope="module")
def events(built: GraphStore) -> GraphStore:
    for key, ident, kind, on, source in EVENTS:
        add_event(built, key, ident, kind, on, source)
    return built


def _timeline(api: LiveApi, token: str, key: str = "A", **variables: Any) -> dict[str, Any]:
    body = api.gql(token, TIMELINE, {"siren": siren(key), **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["timeline"]
    return result


def _ids(result: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in result["edges"]]


def test_blocks_by_role(api: LiveApi, events: GraphStore) -> None:
    full = api.token("tl-full", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    result = _timeline(api, full)
    assert _ids(result) == ["a-group", "a-debt", "a-alert", "a-judgment"]
    assert result["hiddenBlocks"] == ["short_time_work"]  # no dgefp role
    assert result["totalCount"] == 4
    node = result["edges"][1]["node"]
    assert node == {
        "id": "a-debt", "kind": "debt_appears", "source": "urssaf", "occurredOn": "2025-01-31",
        "knownOn": "2025-01-31", "summary": "a-debt", "payload": {"k": 1}, "pinned": False,
    }  # fmt: skip


def test_public_events_only_without_roles(api: LiveApi, events: GraphStore) -> None:
    none = api.token("tl-none", agency=HOME, zones=("21",), roles=())
    result = _timeline(api, none)
    assert _ids(result) == ["a-group", "a-judgment"]
    assert result["hiddenBlocks"] == ["scores", "short_time_work", "urssaf"]


def test_out_of_zone_company_public_only(api: LiveApi, events: GraphStore) -> None:
    full = api.token("tl-full", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    response = api.post(full, TIMELINE, {"siren": siren("C")})
    result = response.json()["data"]["timeline"]
    assert _ids(result) == ["c-judgment"]
    rows = events.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:urssaf'}) RETURN a.outcome AS o, a.in_zone AS z",
        {"r": response.headers["X-Request-Id"]},
    )
    assert [(r["o"], r["z"]) for r in rows] == [("denied", False)]


def test_filters(api: LiveApi, events: GraphStore) -> None:
    full = api.token("tl-full", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    assert _ids(_timeline(api, full, kinds=["debt_appears", "short_time_work_used"])) == ["a-debt"]
    assert _ids(_timeline(api, full, sources=["bodacc"])) == ["a-judgment"]
    assert _ids(_timeline(api, full, **{"from": "2025-01-01", "to": "2025-02-28"})) == ["a-debt", "a-alert"]
    only_public = _timeline(api, full, kinds=["insolvency_judgment"])
    assert only_public["hiddenBlocks"] == []


def test_pagination_both_ways_stable_while_events_are_added(api: LiveApi, events: GraphStore) -> None:
    full = api.token("tl-full", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    first = _timeline(api, full, first=2)
    assert _ids(first) == ["a-group", "a-debt"]
    assert first["pageInfo"]["hasNextPage"] is True
    # events land before and after the page boundary, and one on the same day as the last event read
    add_event(events, "A", "a-early", "insolvency_judgment", "2020-01-01", "bodacc")
    add_event(events, "A", "a-same-day-z", "debt_grows", "2025-01-31", "urssaf")
    add_event(events, "A", "a-late", "ccsf", "2026-01-01", "urssaf")
    second = _timeline(api, full, first=2, after=first["pageInfo"]["endCursor"])
    assert _ids(second) == ["a-same-day-z", "a-alert"]
    third = _timeline(api, full, first=10, after=second["pageInfo"]["endCursor"])
    assert _ids(third) == ["a-judgment", "a-late"]
    assert third["pageInfo"]["hasNextPage"] is False
    assert third["totalCount"] == 7
    # backward from the end, then before a cursor
    tail = _timeline(api, full, last=2)
    assert _ids(tail) == ["a-judgment", "a-late"]
    assert tail["pageInfo"]["hasPreviousPage"] is True
    before = _timeline(api, full, last=3, before=tail["pageInfo"]["startCursor"])
    assert _ids(before) == ["a-debt", "a-same-day-z", "a-alert"]
    assert before["pageInfo"]["hasPreviousPage"] is True
    assert before["pageInfo"]["hasNextPage"] is True
    head = _timeline(api, full, last=5, before=before["pageInfo"]["startCursor"])
    assert _ids(head) == ["a-early", "a-group"]
    assert head["pageInfo"]["hasPreviousPage"] is False


def test_bad_input(api: LiveApi, events: GraphStore) -> None:
    full = api.token("tl-full", agency=HOME, zones=("21",), roles=("urssaf", "score"))
    for variables in ({"first": 0}, {"first": 2, "last": 2}, {"after": "bogus"}, {"last": 1000}):
        body = api.gql(full, TIMELINE, {"siren": siren("A"), **variables})
        assert codes(body) == ["BAD_USER_INPUT"], variables
    assert codes(api.gql(full, TIMELINE, {"siren": "12"})) == ["BAD_USER_INPUT"]
