"""companyTimeline over a real WebSocket against a live server and the real Neo4j.

Absence is never waited for: a forbidden event is written before a public
"marker" event dated later, and the first message received must be the marker.
"""

from __future__ import annotations

import pytest
from api_support import LiveApi
from live_support import company, event, socket, sync

from graph_api.auth import testing as auth_testing
from graphstore.store import GraphStore

TIMELINE = "subscription ($siren: String!) { companyTimeline(siren: $siren) { id kind occurredOn } }"


@pytest.fixture
def store(live: LiveApi) -> GraphStore:
    return GraphStore()


def test_an_event_written_after_subscribing_arrives_and_older_ones_do_not(live: LiveApi, store: GraphStore) -> None:
    siren = "310000001"
    company(store, siren)
    event(store, siren, "t1:old", "insolvency_judgment", "2024-01-10")
    with socket(live, live.token("live.reader", agency="LIVE-A")) as ws:
        ws.subscribe("1", TIMELINE, {"siren": siren})
        sync(ws, "1", lambda p: event(store, siren, f"{siren}-{p}", "group_change", "2000-01-01"))
        event(store, siren, "t1:new", "insolvency_judgment", "2024-03-01")
        assert ws.next_data("1") == {
            "companyTimeline": {"id": "t1:new", "kind": "insolvency_judgment", "occurredOn": "2024-03-01"}
        }


def test_a_kind_the_agent_cannot_see_is_not_sent(live: LiveApi, store: GraphStore) -> None:
    siren = "310000002"
    company(store, siren)  # in zone 21 but never listed: no basis for the URSSAF block
    with socket(live, live.token("live.urssaf", agency="LIVE-B", roles=("urssaf",))) as ws:
        ws.subscribe("1", TIMELINE, {"siren": siren})
        sync(ws, "1", lambda p: event(store, siren, f"{siren}-{p}", "group_change", "2000-01-01"))
        event(store, siren, "t2:debt", "debt_appears", "2024-01-01")
        event(store, siren, "t2:odd", "some_unclassified_kind", "2024-01-02")
        event(store, siren, "t2:marker", "group_change", "2024-02-01")
        assert ws.next_data("1")["companyTimeline"]["id"] == "t2:marker"


def test_collaboration_events_follow_their_note_like_rule(live: LiveApi, store: GraphStore) -> None:
    siren = "310000005"
    company(store, siren)
    with socket(live, live.token("live.collab", agency="LIVE-E")) as ws:
        ws.subscribe("1", TIMELINE, {"siren": siren})
        sync(ws, "1", lambda p: event(store, siren, f"{siren}-{p}", "group_change", "2000-01-01"))
        hidden = {"visibility": "AGENCY", "author_agency": "LIVE-OTHER", "mentions": []}
        event(store, siren, "t5:note", "note_created", "2024-01-01", hidden)
        event(store, siren, "t5:follow-other", "follow_started", "2024-01-02", {"agency": "LIVE-OTHER"})
        event(store, siren, "t5:follow-mine", "follow_started", "2024-01-03", {"agency": "LIVE-E"})
        assert ws.next_data("1")["companyTimeline"]["id"] == "t5:follow-mine"


def test_block_events_stop_when_the_follow_ends_mid_stream(live: LiveApi, store: GraphStore) -> None:
    siren = "310000003"
    company(store, siren, departement="75")  # out of the agent's zones: only the follow grants
    store.write(
        "MERGE (ag:Agency {code: 'LIVE-C'}) WITH ag MATCH (c:Company {siren: $s}) MERGE (ag)-[:FOLLOWS {since: date()}]->(c)",
        {"s": siren},
    )
    with socket(live, live.token("live.follower", agency="LIVE-C", roles=("urssaf",))) as ws:
        ws.subscribe("1", TIMELINE, {"siren": siren})
        sync(ws, "1", lambda p: event(store, siren, f"{siren}-{p}", "group_change", "2000-01-01"))
        event(store, siren, "t3:debt1", "debt_appears", "2024-01-01")
        assert ws.next_data("1")["companyTimeline"]["id"] == "t3:debt1"
        store.write(
            "MATCH (:Agency {code: 'LIVE-C'})-[f:FOLLOWS]->(:Company {siren: $s}) SET f.until = date()", {"s": siren}
        )
        event(store, siren, "t3:debt2", "debt_grows", "2024-02-01")
        event(store, siren, "t3:marker", "ownership_change", "2024-03-01")
        assert ws.next_data("1")["companyTimeline"]["id"] == "t3:marker"
    audit = store.read(
        "MATCH (a:AuditEntry {sub: 'live.follower', target: $t, action: 'read:urssaf'}) "
        "RETURN a.outcome AS outcome, a.basis AS basis ORDER BY a.at",
        {"t": f"company:{siren}"},
    )
    assert [(r["outcome"], r["basis"]) for r in audit] == [("allowed", "follow"), ("denied", None)]


def test_a_revoked_token_ends_the_stream(live: LiveApi, store: GraphStore) -> None:
    siren = "310000004"
    company(store, siren)
    token = auth_testing.agent_token(live.base_url, store, "live.revoked", agency="LIVE-D", zones=("21",))
    with socket(live, token) as ws:
        ws.subscribe("1", TIMELINE, {"siren": siren})
        sync(ws, "1", lambda p: event(store, siren, f"{siren}-{p}", "group_change", "2000-01-01"))
        assert auth_testing.revoke(live.base_url, token).status_code == 200
        event(store, siren, "t4:after", "insolvency_judgment", "2024-01-01")
        assert ws.error_codes("1") == ["UNAUTHENTICATED"]
        assert ws.receive() == {"id": "1", "type": "complete"}


def test_a_malformed_siren_is_refused_at_subscribe_time(live: LiveApi) -> None:
    with socket(live, live.token("live.reader", agency="LIVE-A")) as ws:
        ws.subscribe("1", TIMELINE, {"siren": "12"})
        assert ws.error_codes("1") == ["BAD_USER_INPUT"]
