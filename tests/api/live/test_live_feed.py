"""alertFeed over a real WebSocket: detection-list items of the agent's zones, authorised per event."""

from __future__ import annotations

from api_support import LiveApi
from live_support import company, listed_alert, socket, sync

from graph_api.auth import testing as auth_testing
from graphstore.store import GraphStore

FEED = """
subscription {
  alertFeed {
    __typename
    ... on FeedAlert { siren period level departement firstAlert p12 }
    ... on DetectionListPublished { region period items }
  }
}
"""


def test_items_of_the_agent_zones_arrive_with_the_score_the_doctrine_grants(live: LiveApi) -> None:
    store = GraphStore()
    company(store, "320000001", departement="25")
    company(store, "320000002", departement="21")
    company(store, "320000003", departement="21")
    scorer = live.token("feed.scorer", agency="FEED-A", zones=("21",), roles=("detection", "score"))
    plain = live.token("feed.plain", agency="FEED-B", zones=("21",), roles=("detection",))
    with socket(live, scorer) as ws1, socket(live, plain) as ws2:
        company(store, "320000009", departement="21")
        for ws in (ws1, ws2):
            ws.subscribe("f", FEED)
            sync(ws, "f", lambda p: listed_alert(store, "320000009", p))
        listed_alert(store, "320000001", "2026-10", p12=0.7)  # département 25: outside both agents' zones
        listed_alert(store, "320000002", "2026-10", p12=0.6)
        for ws, p12 in ((ws1, 0.6), (ws2, None)):
            assert ws.next_data("f") == {
                "alertFeed": {
                    "__typename": "FeedAlert",
                    "siren": "320000002",
                    "period": "2026-10",
                    "level": "high",
                    "departement": "21",
                    "firstAlert": True,
                    "p12": p12,
                }
            }
    audit = store.read(
        "MATCH (a:AuditEntry {target: 'company:320000002', action: 'read:scores'}) RETURN a.sub AS sub, a.basis AS basis"
    )
    assert [(r["sub"], r["basis"]) for r in audit] == [("feed.scorer", "zone_detection")]


def test_the_feed_needs_the_detection_role(live: LiveApi) -> None:
    with socket(live, live.token("feed.none", agency="FEED-C", zones=("21",), roles=("score",))) as ws:
        ws.subscribe("f", FEED)
        assert ws.error_codes("f") == ["FORBIDDEN"]


def test_a_revoked_token_ends_the_feed(live: LiveApi) -> None:
    store = GraphStore()
    company(store, "320000004", departement="21")
    company(store, "320000008", departement="21")
    token = auth_testing.agent_token(
        live.base_url, store, "feed.revoked", agency="FEED-D", zones=("21",), roles=("detection",)
    )
    with socket(live, token) as ws:
        ws.subscribe("f", FEED)
        sync(ws, "f", lambda p: listed_alert(store, "320000008", p))
        assert auth_testing.revoke(live.base_url, token).status_code == 200
        listed_alert(store, "320000004", "2026-10")
        assert ws.error_codes("f") == ["UNAUTHENTICATED"]
        assert ws.receive() == {"id": "f", "type": "complete"}
