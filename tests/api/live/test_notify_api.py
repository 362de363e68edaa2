"""Notifications through a running API: its own dispatcher, the alert feed, the status query."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import LiveApi, codes, running_api
from live_support import company, listed_alert, socket, sync
from notify_support import receiver, reset_outbox

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

FEED = """subscription { alertFeed { __typename
  ... on FeedAlert { siren period }
  ... on DetectionListPublished { region period items } } }"""
STATUS = """query ($agency: String) { notifications(agency: $agency, period: "2026-06") {
  id agency status attempts channel history { number outcome } } }"""
KEY = "NAPI-A|27|2026-06|webhook"


@pytest.fixture(scope="module")
def notifying(neo4j_settings: StoreSettings) -> Iterator[LiveApi]:
    """An API running its dispatcher every 0.2 s."""
    reset_outbox(GraphStore())
    env = {"SIGNAUX_LIVE_POLL_INTERVAL": "0.2", "SIGNAUX_NOTIFY_INTERVAL": "0.2", "SIGNAUX_NOTIFY_IN_API": "true"}
    with running_api(**env) as api:
        # Earlier modules' listed alerts are still recent: the dispatcher publishes their lists
        # again in its first rounds. Those publications must land before a test subscribes,
        # or its feed would (rightly) show them.
        _until(lambda: _republished(GraphStore()), "the earlier lists published again")
        yield api


def _republished(store: GraphStore) -> bool:
    lists = store.read(
        "MATCH (a:Alert) WHERE a.created_at >= datetime() - duration({days: 45}) AND a.listed = true "
        "AND a.region IS NOT NULL RETURN count(DISTINCT [a.region, a.period]) AS n"
    )[0]["n"]
    published: int = store.read("MATCH (p:DetectionListPublication) RETURN count(p) AS n")[0]["n"]
    return published >= lists


def _until(check: Any, what: str) -> Any:
    for _ in range(1200):
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"never: {what}")


def test_a_published_list_reaches_the_agency_by_feed_and_webhook_and_its_status_is_queryable(
    notifying: LiveApi,
) -> None:
    store = GraphStore()
    company(store, "350000001", departement="21")
    company(store, "350000009", departement="21")
    agent = notifying.token("napi.agent", agency="NAPI-A", zones=("21",), roles=("detection",))
    with receiver() as rec, socket(notifying, agent) as ws:
        ws.subscribe("f", FEED)
        sync(ws, "f", lambda p: listed_alert(store, "350000009", p))
        store.write("MATCH (ag:Agency {code: 'NAPI-A'}) SET ag.webhook_url = $url", {"url": rec.url})
        listed_alert(store, "350000001", "2026-06", region="27")
        got: dict[str, dict[str, Any]] = {}
        while len(got) < 2:
            item = ws.next_data("f")["alertFeed"]
            got[item["__typename"]] = item
        assert got == {
            "FeedAlert": {"__typename": "FeedAlert", "siren": "350000001", "period": "2026-06"},
            "DetectionListPublished": {
                "__typename": "DetectionListPublished",
                "region": "27",
                "period": "2026-06",
                "items": 1,
            },
        }
        _until(lambda: KEY in rec.idempotency_keys(), "the webhook was called")

    def sent() -> list[dict[str, Any]]:
        rows = notifying.gql(agent, STATUS, {"agency": None})["data"]["notifications"]
        return [r for r in rows if r["status"] == "sent"]

    assert _until(sent, "the notification is sent") == [
        {
            "id": KEY,
            "agency": "NAPI-A",
            "status": "sent",
            "attempts": 1,
            "channel": "webhook",
            "history": [{"number": 1, "outcome": "sent"}],
        }
    ]
    assert rec.idempotency_keys().count(KEY) == 1

    auditor = notifying.token("napi.auditor", agency="NAPI-AUDIT", zones=(), roles=("auditor",))
    seen = notifying.gql(auditor, STATUS, {"agency": "NAPI-A"})["data"]["notifications"]
    assert [n["id"] for n in seen] == [KEY]

    other = notifying.token("napi.other", agency="NAPI-B", zones=("21",), roles=("detection",))
    assert codes(notifying.gql(other, STATUS, {"agency": "NAPI-A"})) == ["FORBIDDEN"]
    assert notifying.gql(other, STATUS, {"agency": None})["data"]["notifications"] == []
    plain = notifying.token("napi.plain", agency="NAPI-A", zones=("21",), roles=("urssaf",))
    assert codes(notifying.gql(plain, STATUS, {"agency": None})) == ["FORBIDDEN"]
