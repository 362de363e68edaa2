"""Follows over HTTP with real tokens: who may follow, what a follow grants, history, audit and timeline."""

from __future__ import annotations

import json

import pytest
from collab_support import Agent, Collab

U1 = Agent("fol-u1", "URSSAF-21", ("21",), ("score",))
U2 = Agent("fol-u2", "URSSAF-21", ("75",), ("score",))  # same agency, another zone
D1 = Agent("fol-d1", "DREETS-21", ("21",))
B1 = Agent("fol-b1", "BDF-75", ("75",))
READ_ONLY = Agent("fol-ro", "URSSAF-21", ("21",), scope="openid signaux")

LISTED = "200000001"  # in 21, on a detection list
UNLISTED = "200000002"  # in 21, never listed
FAR = "200000003"  # in 75, listed
UNKNOWN = "299999999"

FOLLOW = """
mutation F($siren: String!, $reason: FollowReason!, $comment: String) {
  followCompany(siren: $siren, reason: $reason, comment: $comment) {
    id siren companyName reason comment since by current until outcome
  }
}
"""
UNFOLLOW = """
mutation U($siren: String!, $outcome: FollowOutcome!, $comment: String) {
  unfollowCompany(siren: $siren, outcome: $outcome, comment: $comment) {
    id siren current until outcome endComment endedBy
  }
}
"""
FOLLOWS = """
query L($status: FollowStatus, $first: Int, $after: String) {
  myAgencyFollows(status: $status, first: $first, after: $after) {
    totalCount edges { cursor node { siren reason current outcome } } pageInfo { endCursor hasNextPage }
  }
}
"""
SCORES = "query S($siren: String!) { company(siren: $siren) { scores { latest { p12 } } } }"


@pytest.fixture
def world(collab: Collab) -> Collab:
    collab.add_company(LISTED, "21", listed=True)
    collab.add_company(UNLISTED, "21")
    collab.add_company(FAR, "75", listed=True)
    collab.add_agencies("URSSAF-21", "DREETS-21", "BDF-75")
    return collab


def _written(c: Collab, siren: str) -> tuple[int, int, int]:
    """FOLLOWS relationships, follow events and follow mutation audit entries about a company."""
    follows = c.count("MATCH (:Agency)-[f:FOLLOWS]->(:Company {siren: $s}) RETURN count(f) AS n", {"s": siren})
    events = c.count(
        "MATCH (e:TimelineEvent)-[:ABOUT]->(:Company {siren: $s}) WHERE e.kind STARTS WITH 'follow_' "
        "RETURN count(e) AS n",
        {"s": siren},
    )
    audits = c.count(
        "MATCH (a:AuditEntry {target: 'company:' + $s, outcome: 'allowed'}) WHERE a.action IN "
        "['mutation:followCompany', 'mutation:unfollowCompany'] RETURN count(a) AS n",
        {"s": siren},
    )
    return follows, events, audits


def test_follow_grants_the_agency_then_unfollow_takes_it_back(world: Collab) -> None:
    # Before: the agent of the same agency in another zone has no basis on the company.
    assert world.code(U2, SCORES, {"siren": LISTED}) == "FORBIDDEN"
    response = world.response(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION", "comment": "vu en CODEFI"})
    body = response.json()
    assert not body.get("errors"), body
    follow = body["data"]["followCompany"]
    assert follow["siren"] == LISTED and follow["reason"] == "DETECTION" and follow["current"] is True
    assert follow["by"] == U1.sub and follow["comment"] == "vu en CODEFI" and follow["until"] is None
    # The change, its timeline event and its audit entry, all written.
    rel = world.store.read(
        "MATCH (:Agency {code: 'URSSAF-21'})-[f:FOLLOWS]->(:Company {siren: $s}) RETURN f", {"s": LISTED}
    )
    assert [(r["f"]["reason"], r["f"]["by"], r["f"].get("until")) for r in rel] == [("detection", U1.sub, None)]
    events = world.store.read(
        "MATCH (e:TimelineEvent {kind: 'follow_started'})-[:ABOUT]->(:Company {siren: $s}) RETURN e", {"s": LISTED}
    )
    assert len(events) == 1
    payload = json.loads(events[0]["e"]["payload"])
    assert payload["agency"] == "URSSAF-21" and payload["reason"] == "detection"
    assert "vu en CODEFI" not in events[0]["e"]["payload"]  # free text stays on the follow
    audit = [a for a in world.audit(response.headers["x-request-id"]) if a["action"] == "mutation:followCompany"]
    assert [(a["target"], a["outcome"], a["in_zone"]) for a in audit] == [(f"company:{LISTED}", "allowed", True)]
    # The follow is the agency's: the colleague out of zone now reads the scores, on the follow basis.
    assert world.ok(U2, SCORES, {"siren": LISTED})["company"]["scores"]["latest"]["p12"] == 0.3

    ended = world.ok(U2, UNFOLLOW, {"siren": LISTED, "outcome": "ACTIONS_TAKEN", "comment": "plan URSSAF"})
    node = ended["unfollowCompany"]
    assert node["current"] is False and node["outcome"] == "ACTIONS_TAKEN" and node["until"] is not None
    assert node["endedBy"] == U2.sub and node["endComment"] == "plan URSSAF"
    assert world.code(U2, SCORES, {"siren": LISTED}) == "FORBIDDEN"
    assert _written(world, LISTED) == (1, 2, 2)  # the ended follow is kept, not deleted


@pytest.mark.parametrize(
    ("agent", "siren"),
    [
        (U1, UNLISTED),  # in zone but never on a detection list: no basis
        (U1, FAR),  # listed but out of zone
        (B1, LISTED),  # another agency, out of zone
        (U1, UNKNOWN),  # unknown: refused exactly the same way
    ],
)
def test_follow_needs_a_basis_and_refuses_alike(world: Collab, agent: Agent, siren: str) -> None:
    error = world.error(agent, FOLLOW, {"siren": siren, "reason": "INTERNAL_SOURCE"})
    assert error["extensions"] == {"code": "FORBIDDEN"} and error["message"] == "Not allowed."
    assert _written(world, siren) == (0, 0, 0)
    # The attempt itself is in the audit trail, as denied.
    denied = world.store.read(
        "MATCH (a:AuditEntry {action: 'mutation:followCompany', target: 'company:' + $s}) RETURN a", {"s": siren}
    )
    assert [(d["a"]["sub"], d["a"]["outcome"]) for d in denied] == [(agent.sub, "denied")]


def test_open_intervention_is_a_basis(world: Collab) -> None:
    world.store.write(
        "MATCH (c:Company {siren: $s}) MATCH (ag:Agency {code: 'BDF-75'}) "
        "CREATE (ag)-[:PARTICIPATES_IN {role: 'member'}]->(:Intervention {id: 'i-1', status: 'open'})-[:ABOUT]->(c)",
        {"s": UNLISTED},
    )
    assert world.ok(B1, FOLLOW, {"siren": UNLISTED, "reason": "EXTERNAL_SOURCE"})["followCompany"]["current"]


def test_second_follow_conflicts_and_unfollow_without_follow_is_refused(world: Collab) -> None:
    world.ok(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION"})
    assert world.code(U2, FOLLOW, {"siren": LISTED, "reason": "OTHER"}) == "CONFLICT"
    assert world.code(D1, UNFOLLOW, {"siren": LISTED, "outcome": "NONE_NEEDED"}) == "FORBIDDEN"
    assert world.code(U1, UNFOLLOW, {"siren": UNKNOWN, "outcome": "NONE_NEEDED"}) == "FORBIDDEN"
    assert _written(world, LISTED) == (1, 1, 1)
    # Another agency follows independently.
    world.ok(D1, FOLLOW, {"siren": LISTED, "reason": "EXTERNAL_SOURCE"})
    assert _written(world, LISTED) == (2, 2, 2)


def test_follow_again_after_the_end_keeps_the_history(world: Collab) -> None:
    world.ok(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION"})
    world.ok(U1, UNFOLLOW, {"siren": LISTED, "outcome": "NONE_NEEDED"})
    world.ok(U1, FOLLOW, {"siren": LISTED, "reason": "INTERNAL_SOURCE"})
    world.store.write(
        "MATCH (c:Company {siren: $s}) MATCH (ag:Agency {code: 'URSSAF-21'}) "
        "CREATE (ag)-[:FOLLOWS {since: date('2020-01-01'), reason: 'other', until: date('2020-06-01'), "
        "outcome: 'none_needed'}]->(c)",
        {"s": FAR},
    )
    everything = world.ok(U1, FOLLOWS, {})["myAgencyFollows"]
    assert everything["totalCount"] == 3
    assert [(e["node"]["reason"], e["node"]["current"]) for e in everything["edges"]] == [
        ("INTERNAL_SOURCE", True),
        ("DETECTION", False),
        ("OTHER", False),
    ]
    current = world.ok(U2, FOLLOWS, {"status": "CURRENT"})["myAgencyFollows"]
    assert [e["node"]["siren"] for e in current["edges"]] == [LISTED]
    ended = world.ok(U1, FOLLOWS, {"status": "ENDED"})["myAgencyFollows"]
    assert [e["node"]["outcome"] for e in ended["edges"]] == ["NONE_NEEDED", "NONE_NEEDED"]
    # Page by page, nothing lost or repeated.
    seen, after = [], None
    while True:
        page = world.ok(U1, FOLLOWS, {"first": 1, "after": after})["myAgencyFollows"]
        seen += [(e["node"]["siren"], e["node"]["reason"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 3 and len(set(seen)) == 3
    assert world.ok(D1, FOLLOWS, {})["myAgencyFollows"]["totalCount"] == 0  # another agency's list


def test_malformed_inputs_write_nothing(world: Collab) -> None:
    bad_siren = world.error(U1, FOLLOW, {"siren": "12AB", "reason": "DETECTION"})
    assert bad_siren["extensions"]["code"] == "BAD_USER_INPUT" and bad_siren["extensions"]["argument"] == "siren"
    long = world.error(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION", "comment": "x" * 2001})
    assert long["extensions"]["code"] == "BAD_USER_INPUT" and long["extensions"]["argument"] == "comment"
    assert world.code(U1, FOLLOWS, {"first": 0}) == "BAD_USER_INPUT"
    assert world.code(U1, FOLLOWS, {"after": "bm90LWEtY3Vyc29y"}) == "BAD_USER_INPUT"
    assert world.code(READ_ONLY, FOLLOW, {"siren": LISTED, "reason": "DETECTION"}) == "FORBIDDEN"
    assert _written(world, LISTED) == (0, 0, 0)


def test_a_failing_audit_entry_rolls_the_follow_back(world: Collab) -> None:
    # A real failure inside the transaction: a uniqueness constraint the audit entry breaks.
    world.store.write(
        "CREATE CONSTRAINT collab_test_audit IF NOT EXISTS FOR (a:AuditEntry) REQUIRE (a.action, a.target) IS UNIQUE"
    )
    try:
        world.store.write(
            "CREATE (:AuditEntry {id: 'blocker', action: 'mutation:followCompany', target: 'company:' + $s, "
            "outcome: 'allowed'})",
            {"s": LISTED},
        )
        assert world.code(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION"}) == "INTERNAL_SERVER_ERROR"
    finally:
        world.store.write("DROP CONSTRAINT collab_test_audit IF EXISTS")
    assert _written(world, LISTED) == (0, 0, 1)  # only the blocker


def test_a_failing_timeline_event_rolls_the_unfollow_back(world: Collab) -> None:
    world.ok(U1, FOLLOW, {"siren": LISTED, "reason": "DETECTION"})
    world.store.write(
        "CREATE CONSTRAINT collab_test_event IF NOT EXISTS FOR (e:TimelineEvent) REQUIRE (e.siren, e.kind) IS UNIQUE"
    )
    try:
        world.store.write("CREATE (:TimelineEvent {id: 'blocker', siren: $s, kind: 'follow_ended'})", {"s": LISTED})
        assert world.code(U1, UNFOLLOW, {"siren": LISTED, "outcome": "NONE_NEEDED"}) == "INTERNAL_SERVER_ERROR"
    finally:
        world.store.write("DROP CONSTRAINT collab_test_event IF EXISTS")
    current = world.ok(U1, FOLLOWS, {"status": "CURRENT"})["myAgencyFollows"]
    assert current["totalCount"] == 1  # still followed: the end was rolled back with its event and audit entry
    assert _written(world, LISTED) == (1, 1, 1)
