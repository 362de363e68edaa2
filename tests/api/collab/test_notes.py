"""Case notes over HTTP with three agencies: visibilities, versions, concurrent edits, soft delete, replies,
malformed inputs, and every mutation with its audit entry and timeline event in one transaction."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from collab_support import Agent, Collab

from graph_api.auth.principal import Principal
from graph_api.doctrine.rules import CompanyFacts
from graph_api.timeline.kinds import collaboration_event_readable

U1 = Agent("not-u1", "URSSAF-21", ("21",))
U2 = Agent("not-u2", "URSSAF-21", ("21",))  # the author's colleague
D1 = Agent("not-d1", "DREETS-21", ("21",))  # another agency, following the company too
B1 = Agent("not-b1", "BDF-75", ("75",))  # a third agency, not involved
AGENTS = {"u1": U1, "u2": U2, "d1": D1, "b1": B1}

SIREN = "300000001"  # in 21, listed, followed by URSSAF-21 and DREETS-21
OTHER = "300000002"  # in 21, listed, followed by nobody
FAR = "300000003"  # in 75, never listed: nobody has a basis
UNKNOWN = "399999999"

CREATE = """
mutation C($siren: String!, $body: String!, $visibility: NoteVisibility, $mentions: [String!], $replyTo: ID) {
  createNote(siren: $siren, body: $body, visibility: $visibility, mentions: $mentions, replyTo: $replyTo) {
    id siren body version visibility mentions replyTo authorAgency authorName editable
  }
}
"""
EDIT = """
mutation E($id: ID!, $body: String!, $v: Int!) {
  editNote(id: $id, body: $body, expectedVersion: $v) { id body version updatedAt }
}
"""
DELETE = "mutation D($id: ID!) { deleteNote(id: $id) { id deletedAt } }"
NOTE = "query N($id: ID!) { note(id: $id) { id body version replies { id body authorAgency } } }"
VERSIONS = "query V($id: ID!) { noteVersions(id: $id) { version body by editedAt } }"
LIST = """
query L($siren: String!, $first: Int, $after: String) {
  companyNotes(siren: $siren, first: $first, after: $after) {
    totalCount edges { cursor node { id body } } pageInfo { endCursor hasNextPage }
  }
}
"""


@pytest.fixture
def world(collab: Collab) -> Collab:
    collab.add_agencies("URSSAF-21", "DREETS-21", "BDF-75")
    collab.add_company(SIREN, "21", listed=True)
    collab.add_company(OTHER, "21", listed=True)
    collab.add_company(FAR, "75")
    collab.store.write(
        "MATCH (c:Company {siren: $s}) UNWIND ['URSSAF-21', 'DREETS-21'] AS code MATCH (ag:Agency {code: code}) "
        "CREATE (ag)-[:FOLLOWS {id: code, since: datetime(), reason: 'detection', by: 'seed'}]->(c)",
        {"s": SIREN},
    )
    return collab


def _create(c: Collab, agent: Agent, body: str, **more: Any) -> dict[str, Any]:
    note: dict[str, Any] = c.ok(agent, CREATE, {"siren": SIREN, "body": body, **more})["createNote"]
    return note


def _written(c: Collab) -> dict[str, int]:
    """Everything a note mutation writes, counted."""
    return {
        "notes": c.count("MATCH (n:CaseNote) RETURN count(n) AS n"),
        "versions": c.count("MATCH (v:NoteVersion) RETURN count(v) AS n"),
        "events": c.count("MATCH (e:TimelineEvent) WHERE e.kind STARTS WITH 'note_' RETURN count(e) AS n"),
        "audits": c.count(
            "MATCH (a:AuditEntry {outcome: 'allowed'}) WHERE a.action ENDS WITH 'Note' RETURN count(a) AS n"
        ),
    }


def test_the_three_visibilities_against_three_agencies(world: Collab) -> None:
    agency = _create(world, U1, "interne URSSAF", visibility="AGENCY")
    named = _create(world, U1, "pour la BdF", visibility="NAMED", mentions=["BDF-75"])
    involved = _create(world, U1, "pour les suiveurs", visibility="INVOLVED")
    assert named["mentions"] == ["BDF-75"] and involved["authorAgency"] == "URSSAF-21"
    assert involved["editable"] is True and involved["version"] == 1
    expected = {
        agency["id"]: {"u1", "u2"},
        named["id"]: {"u1", "u2", "b1"},
        involved["id"]: {"u1", "u2", "d1"},  # DREETS-21 follows the company; BDF-75 is not involved
    }
    for note_id, readers in expected.items():
        for name, agent in AGENTS.items():
            body = world.call(agent, NOTE, {"id": note_id})
            versions = world.call(agent, VERSIONS, {"id": note_id})
            if name in readers:
                assert body["data"]["note"]["id"] == note_id, (name, body)
                assert [v["version"] for v in versions["data"]["noteVersions"]] == [1]
            else:
                assert body["data"] is None and body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}, (name, body)
                assert versions["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    for name, agent in AGENTS.items():
        listed = world.ok(agent, LIST, {"siren": SIREN})["companyNotes"]
        visible = {e["node"]["id"] for e in listed["edges"]}
        assert visible == {i for i, readers in expected.items() if name in readers}, name
        assert listed["totalCount"] == len(visible)
    # INVOLVED follows the current working relationship: once DREETS-21's follow ends, it reads no more.
    world.store.write("MATCH (:Agency {code: 'DREETS-21'})-[f:FOLLOWS]->() SET f.until = datetime()")
    assert world.code(D1, NOTE, {"id": involved["id"]}) == "FORBIDDEN"
    # The answer for an unknown note is the same.
    assert world.error(B1, NOTE, {"id": "no-such-note"})["extensions"] == {"code": "FORBIDDEN"}


def test_edits_keep_every_version_and_a_stale_edit_writes_nothing(world: Collab) -> None:
    note = _create(world, U1, "v1")
    edited = world.ok(U1, EDIT, {"id": note["id"], "body": "v2", "v": 1})["editNote"]
    assert (edited["body"], edited["version"]) == ("v2", 2)
    before = _written(world)
    stale = world.error(U1, EDIT, {"id": note["id"], "body": "lost?", "v": 1})
    assert stale["extensions"] == {"code": "VERSION_CONFLICT", "argument": "expectedVersion", "currentVersion": 2}
    assert _written(world) == before
    world.ok(U1, EDIT, {"id": note["id"], "body": "v3", "v": 2})
    versions = world.ok(U2, VERSIONS, {"id": note["id"]})["noteVersions"]
    assert [(v["version"], v["body"], v["by"]) for v in versions] == [
        (1, "v1", U1.sub),
        (2, "v2", U1.sub),
        (3, "v3", U1.sub),
    ]
    assert world.ok(U2, NOTE, {"id": note["id"]})["note"]["body"] == "v3"
    # Only the author edits: a colleague who reads it, or another agency, is refused and nothing is written.
    before = _written(world)
    assert world.code(U2, EDIT, {"id": note["id"], "body": "x", "v": 3}) == "FORBIDDEN"
    assert world.code(D1, EDIT, {"id": note["id"], "body": "x", "v": 3}) == "FORBIDDEN"
    assert _written(world) == before
    denied = world.store.read(
        "MATCH (a:AuditEntry {action: 'mutation:editNote', outcome: 'denied'}) RETURN a.sub AS sub, a.target AS t"
    )
    assert sorted((r["sub"], r["t"]) for r in denied) == sorted(
        [(U2.sub, f"note:{note['id']}"), (D1.sub, f"note:{note['id']}")]
    )


def _edit_concurrently(c: Collab, note_id: str, version: int, bodies: list[str]) -> list[dict[str, Any]]:
    """Fires one edit per body at once, all with ``version``; every response body."""
    token = c.token(U1)
    barrier = threading.Barrier(len(bodies))
    results: list[dict[str, Any]] = [{} for _ in bodies]

    def run(i: int) -> None:
        payload = {"query": EDIT, "variables": {"id": note_id, "body": bodies[i], "v": version}}
        with httpx.Client(timeout=60) as http:
            barrier.wait()
            response = http.post(c.api.url, json=payload, headers={"Authorization": f"Bearer {token}"})
        results[i] = response.json()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_edits_with_the_same_version_have_exactly_one_winner(world: Collab) -> None:
    note = _create(world, U1, "start")
    history = ["start"]
    for round_ in range(1, 4):
        bodies = [f"round {round_} writer {w}" for w in range(4)]
        results = _edit_concurrently(world, note["id"], round_, bodies)
        winners = [r["data"]["editNote"] for r in results if not r.get("errors")]
        losers = [r["errors"][0]["extensions"] for r in results if r.get("errors")]
        assert len(winners) == 1, results
        assert winners[0]["version"] == round_ + 1
        assert (
            losers == [{"code": "VERSION_CONFLICT", "argument": "expectedVersion", "currentVersion": round_ + 1}] * 3
        ), results
        history.append(winners[0]["body"])
    versions = world.ok(U1, VERSIONS, {"id": note["id"]})["noteVersions"]
    assert [v["body"] for v in versions] == history
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    stored = world.store.read("MATCH (n:CaseNote {id: $id}) RETURN n.version AS v, n.body AS b", {"id": note["id"]})
    assert (stored[0]["v"], stored[0]["b"]) == (4, history[-1])
    assert _written(world) == {"notes": 1, "versions": 4, "events": 4, "audits": 4}


def test_soft_delete_hides_the_note_and_keeps_its_versions(world: Collab) -> None:
    note = _create(world, U1, "à supprimer", visibility="INVOLVED")
    world.ok(U1, EDIT, {"id": note["id"], "body": "corrigé", "v": 1})
    assert world.code(D1, DELETE, {"id": note["id"]}) == "FORBIDDEN"  # a reader, not the author
    response = world.response(U1, DELETE, {"id": note["id"]})
    deleted = response.json()["data"]["deleteNote"]
    assert deleted["id"] == note["id"] and deleted["deletedAt"]
    audit = [a for a in world.audit(response.headers["x-request-id"]) if a["action"] == "mutation:deleteNote"]
    assert [a["target"] for a in audit] == [f"note:{note['id']}"]
    for agent in (U1, U2, D1):
        assert world.code(agent, NOTE, {"id": note["id"]}) == "FORBIDDEN"
        assert world.code(agent, VERSIONS, {"id": note["id"]}) == "FORBIDDEN"
        assert world.ok(agent, LIST, {"siren": SIREN})["companyNotes"]["totalCount"] == 0
    before = _written(world)
    assert world.code(U1, EDIT, {"id": note["id"], "body": "trop tard", "v": 2}) == "FORBIDDEN"
    assert world.code(U1, DELETE, {"id": note["id"]}) == "FORBIDDEN"
    assert _written(world) == before
    # For the audit, in the graph: the node flagged, both versions kept.
    rows = world.store.read(
        "MATCH (n:CaseNote {id: $id})-[:HAS_VERSION]->(v:NoteVersion) RETURN n.deleted AS d, n.deleted_by AS by, "
        "v.body AS body ORDER BY v.version",
        {"id": note["id"]},
    )
    assert [(r["d"], r["by"], r["body"]) for r in rows] == [(True, U1.sub, "à supprimer"), (True, U1.sub, "corrigé")]
    kinds = world.store.read(
        "MATCH (e:TimelineEvent)-[:ABOUT]->(:Company {siren: $s}) RETURN e.kind AS k ORDER BY e.at", {"s": SIREN}
    )
    assert [r["k"] for r in kinds] == ["note_created", "note_edited", "note_deleted"]


def test_threaded_replies_each_under_its_own_visibility(world: Collab) -> None:
    root = _create(world, U1, "question", visibility="INVOLVED")
    shared = _create(world, D1, "réponse partagée", visibility="INVOLVED", replyTo=root["id"])
    private = _create(world, D1, "aparté DREETS", visibility="AGENCY", replyTo=root["id"])
    assert shared["replyTo"] == root["id"]
    seen_by_u = world.ok(U1, NOTE, {"id": root["id"]})["note"]["replies"]
    seen_by_d = world.ok(D1, NOTE, {"id": root["id"]})["note"]["replies"]
    assert [r["id"] for r in seen_by_u] == [shared["id"]]
    assert [r["id"] for r in seen_by_d] == [shared["id"], private["id"]]
    # Replies are not top-level notes.
    assert [e["node"]["id"] for e in world.ok(D1, LIST, {"siren": SIREN})["companyNotes"]["edges"]] == [root["id"]]
    before = _written(world)
    # A note one cannot read cannot be answered (same answer as an unknown one) ...
    assert world.code(B1, CREATE, {"siren": SIREN, "body": "?", "replyTo": root["id"]}) == "FORBIDDEN"
    assert world.code(U1, CREATE, {"siren": SIREN, "body": "?", "replyTo": private["id"]}) == "FORBIDDEN"
    # ... and a reply is about the company of the note it answers.
    wrong = world.error(D1, CREATE, {"siren": OTHER, "body": "?", "replyTo": root["id"]})
    assert wrong["extensions"] == {"code": "BAD_USER_INPUT", "argument": "replyTo"}
    assert _written(world) == before


def test_pages_of_company_notes(world: Collab) -> None:
    ids = [_create(world, U1, f"note {i}")["id"] for i in range(5)]
    seen: list[str] = []
    after = None
    while True:
        page = world.ok(U2, LIST, {"siren": SIREN, "first": 2, "after": after})["companyNotes"]
        assert page["totalCount"] == 5
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(ids))  # newest first, nothing lost or repeated
    assert world.ok(B1, LIST, {"siren": SIREN})["companyNotes"]["totalCount"] == 0
    assert world.ok(B1, LIST, {"siren": UNKNOWN})["companyNotes"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("variables", "code", "argument"),
    [
        ({"body": "x" * 20_001}, "BAD_USER_INPUT", "body"),
        ({"body": "   "}, "BAD_USER_INPUT", "body"),
        ({"siren": "30000000X"}, "BAD_USER_INPUT", "siren"),
        ({"visibility": "NAMED"}, "BAD_USER_INPUT", "mentions"),
        ({"visibility": "NAMED", "mentions": ["NO-SUCH-AGENCY"]}, "BAD_USER_INPUT", "mentions"),
        ({"mentions": ["not an agency!"]}, "BAD_USER_INPUT", "mentions"),
        ({"siren": FAR}, "FORBIDDEN", None),  # known company, no basis
        ({"siren": UNKNOWN}, "FORBIDDEN", None),  # unknown company: the same answer
        ({"siren": OTHER}, "FORBIDDEN", None),  # listed, but out of the zones of BDF-75 (below)
    ],
)
def test_malformed_or_refused_notes_write_nothing(
    world: Collab, variables: dict[str, Any], code: str, argument: str | None
) -> None:
    agent = B1 if variables.get("siren") == OTHER else U1  # BDF-75 has no basis on a company of the 21
    error = world.error(agent, CREATE, {"siren": SIREN, "body": "texte", **variables})
    assert error["extensions"]["code"] == code
    if argument:
        assert error["extensions"]["argument"] == argument
    denied = world.count("MATCH (a:AuditEntry {action: 'mutation:createNote', outcome: 'denied'}) RETURN count(a) AS n")
    if code == "FORBIDDEN":
        assert error["extensions"] == {"code": "FORBIDDEN"} and error["message"] == "Not allowed."
    assert denied == (1 if code == "FORBIDDEN" else 0)  # a refused attempt is audited; bad input is not
    assert _written(world) == {"notes": 0, "versions": 0, "events": 0, "audits": 0}


def test_edit_inputs_are_checked_before_anything_is_written(world: Collab) -> None:
    note = _create(world, U1, "v1")
    before = _written(world)
    too_long = world.error(U1, EDIT, {"id": note["id"], "body": "é" * 20_001, "v": 1})
    assert too_long["extensions"]["code"] == "BAD_USER_INPUT" and too_long["extensions"]["argument"] == "body"
    zero = world.error(U1, EDIT, {"id": note["id"], "body": "ok", "v": 0})
    assert zero["extensions"]["argument"] == "expectedVersion"
    assert world.code(U1, EDIT, {"id": "x" * 65, "body": "ok", "v": 1}) == "BAD_USER_INPUT"
    read_only = Agent(U1.sub, U1.agency, U1.zones, scope="openid signaux")
    assert world.code(read_only, EDIT, {"id": note["id"], "body": "ok", "v": 1}) == "FORBIDDEN"
    assert _written(world) == before


def test_every_mutation_is_audited_with_an_event_that_never_holds_the_body(world: Collab) -> None:
    secret = "dirigeant en arrêt maladie"
    response = world.response(
        U1, CREATE, {"siren": SIREN, "body": secret, "visibility": "NAMED", "mentions": ["DREETS-21"]}
    )
    note = response.json()["data"]["createNote"]
    audit = world.audit(response.headers["x-request-id"])
    assert [(a["action"], a["target"], a["in_zone"]) for a in audit] == [
        ("mutation:createNote", f"note:{note['id']}", True)
    ]
    world.ok(U1, EDIT, {"id": note["id"], "body": secret + " (suite)", "v": 1})
    events = world.store.read(
        "MATCH (e:TimelineEvent)-[:ABOUT]->(:Company {siren: $s}) RETURN e ORDER BY e.at", {"s": SIREN}
    )
    assert [e["e"]["kind"] for e in events] == ["note_created", "note_edited"]
    for e in events:
        assert secret not in e["e"]["payload"] and secret not in e["e"]["summary"]
        payload = json.loads(e["e"]["payload"])
        assert payload["note_id"] == note["id"] and payload["visibility"] == "NAMED"
        assert payload["mentions"] == ["DREETS-21"]
    # The company timeline shows note events to who may read the note: the named
    # agency does, an agency in zone but neither named nor the author's does not ...
    query = "query T($s: String!) { timeline(siren: $s) { edges { node { kind summary } } } }"
    timeline = world.ok(D1, query, {"s": SIREN})
    # (same day: the stream orders them by id)
    assert sorted(e["node"]["kind"] for e in timeline["timeline"]["edges"]) == ["note_created", "note_edited"]
    assert all(secret not in e["node"]["summary"] for e in timeline["timeline"]["edges"])
    outsider = Agent("not-o1", "DDFIP-21", ("21",))
    assert world.ok(outsider, query, {"s": SIREN})["timeline"]["edges"] == []
    # ... and a reader of events (live updates) shows one only to who may read the note.
    payload = json.loads(events[0]["e"]["payload"])
    company = CompanyFacts(SIREN, exists=True, departement="21", involved_agencies=frozenset({"URSSAF-21"}))

    def reader(agency: str) -> Principal:
        return Principal("x", "x", agency, frozenset({"21"}), frozenset(), frozenset(), "c", None)

    assert [
        collaboration_event_readable(reader(a), "note_created", payload, company)
        for a in ("URSSAF-21", "DREETS-21", "BDF-75")
    ] == [True, True, False]


def test_a_failing_timeline_event_rolls_the_note_back(world: Collab) -> None:
    world.store.write(
        "CREATE CONSTRAINT collab_test_note_event IF NOT EXISTS FOR (e:TimelineEvent) REQUIRE (e.siren, e.kind) "
        "IS UNIQUE"
    )
    try:
        world.store.write("CREATE (:TimelineEvent {id: 'blocker', siren: $s, kind: 'note_created'})", {"s": SIREN})
        assert world.code(U1, CREATE, {"siren": SIREN, "body": "perdu"}) == "INTERNAL_SERVER_ERROR"
    finally:
        world.store.write("DROP CONSTRAINT collab_test_note_event IF EXISTS")
    assert _written(world) == {"notes": 0, "versions": 0, "events": 1, "audits": 0}  # only the blocker
