"""Follow and intervention events in the timeline: for the agencies involved with the company only."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi
from graph import HOME, add_event, siren

from graphstore.store import GraphStore

TIMELINE = """
query T($siren: String!, $kinds: [String!]) {
  timeline(siren: $siren, kinds: $kinds) { totalCount edges { node { id kind } } }
}
"""


@pytest.fixture(scope="module")
def collab_events(built: GraphStore) -> GraphStore:
    add_event(built, "F", "f-follow", "follow_started", "2025-01-01", "api")
    add_event(built, "F", "f-intervention", "intervention_opened", "2025-02-01", "api")
    add_event(built, "F", "f-note", "note_created", "2025-03-01", "api")
    add_event(built, "F", "f-judgment", "insolvency_judgment", "2025-04-01", "bodacc")
    return built


def _ids(api: LiveApi, token: str, kinds: list[str] | None = None) -> list[str]:
    body: dict[str, Any] = api.gql(token, TIMELINE, {"siren": siren("F"), "kinds": kinds})
    assert "errors" not in body, body
    return [e["node"]["id"] for e in body["data"]["timeline"]["edges"]]


def test_involved_agency_sees_follows_and_interventions(api: LiveApi, collab_events: GraphStore) -> None:
    home = api.token("collab-home", agency=HOME, zones=("21",), roles=())  # HOME follows F
    assert _ids(api, home) == ["f-follow", "f-intervention", "f-judgment"]  # notes have their own rule
    assert _ids(api, home, ["intervention_opened", "note_created"]) == ["f-intervention"]


def test_uninvolved_agency_does_not_until_it_takes_part(api: LiveApi, collab_events: GraphStore) -> None:
    other = api.token("collab-other", agency="DREETS-21", zones=("21",), roles=("urssaf", "score"))
    assert _ids(api, other) == ["f-judgment"]
    collab_events.write(
        "MATCH (f:Company {siren: $f}) MERGE (ag:Agency {code: 'DREETS-21'}) "
        "CREATE (ag)-[:PARTICIPATES_IN {role: 'lead'}]->(:Intervention {id: 'i-f', status: 'open'})-[:ABOUT]->(f)",
        {"f": siren("F")},
    )
    assert _ids(api, other) == ["f-follow", "f-intervention", "f-judgment"]
    collab_events.write("MATCH (i:Intervention {id: 'i-f'}) SET i.status = 'closed'")
    assert _ids(api, other) == ["f-judgment"]  # a closed intervention grants nothing more


def _note(store: GraphStore, note_id: str, visibility: str, mentions: list[str], day: str) -> None:
    """A note by HOME about F, and its ``note_created`` event carrying the note's id (as the API writes it)."""
    store.write(
        "MATCH (f:Company {siren: $f}) "
        "CREATE (n:CaseNote {id: $id, siren: $f, body: 'secret body', visibility: $v, version: 1, "
        "                    author_agency: $home, mentions: $m, deleted: false})-[:ABOUT]->(f) "
        "CREATE (e:TimelineEvent {id: 'ev-' + $id, siren: $f, kind: 'note_created', source: 'api', "
        "                         occurred_on: date($day), known_on: date($day), summary: 'Note', "
        "                         payload: '{}', note_id: $id})-[:ABOUT]->(f)",
        {"f": siren("F"), "id": note_id, "v": visibility, "m": mentions, "home": HOME, "day": day},
    )


def test_note_events_follow_their_note_rule(api: LiveApi, collab_events: GraphStore) -> None:
    _note(collab_events, "n-agency", "AGENCY", [], "2025-05-01")
    _note(collab_events, "n-named", "NAMED", ["DDFIP-21"], "2025-05-02")
    _note(collab_events, "n-involved", "INVOLVED", [], "2025-05-03")
    notes = ["note_created"]
    home = api.token("notes-home", agency=HOME, zones=("21",), roles=())
    named = api.token("notes-named", agency="DDFIP-21", zones=("21",), roles=())
    stranger = api.token("notes-stranger", agency="BDF-21", zones=("21",), roles=())
    assert _ids(api, home, notes) == ["ev-n-agency", "ev-n-named", "ev-n-involved"]
    assert _ids(api, named, notes) == ["ev-n-named"]
    assert _ids(api, stranger, notes) == []
    body: dict[str, Any] = api.gql(named, TIMELINE, {"siren": siren("F"), "kinds": notes})
    assert body["data"]["timeline"]["totalCount"] == 1  # the total counts only readable notes
    # Taking part in an intervention makes BDF-21 involved: it reads INVOLVED notes only.
    collab_events.write(
        "MATCH (f:Company {siren: $f}) MERGE (ag:Agency {code: 'BDF-21'}) "
        "CREATE (ag)-[:PARTICIPATES_IN {role: 'lead'}]->(:Intervention {id: 'i-notes', status: 'open'})-[:ABOUT]->(f)",
        {"f": siren("F")},
    )
    assert _ids(api, stranger, notes) == ["ev-n-involved"]
    # A deleted note's events disappear for everyone, its author included.
    collab_events.write("MATCH (n:CaseNote {id: 'n-named'}) SET n.deleted = true")
    assert _ids(api, named, notes) == []
    assert _ids(api, home, notes) == ["ev-n-agency", "ev-n-involved"]
    collab_events.write("MATCH (i:Intervention {id: 'i-notes'}) SET i.status = 'closed'")
    assert _ids(api, stranger, notes) == []
