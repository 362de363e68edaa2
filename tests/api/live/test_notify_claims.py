"""Claims are atomic: a claim racing another one waits for its lock and then skips what it took.

The race is forced, not hoped for: the first claim's transaction stays open
until Neo4j reports the second one blocked on the node's lock.
"""

from __future__ import annotations

import threading
from typing import Any

from neo4j import GraphDatabase
from notify_support import reset_outbox

from graph_api.notifications.outbox import CLAIM
from graphstore.connection import resolve_connection
from graphstore.settings import StoreSettings, get_settings
from graphstore.store import GraphStore


def _params(worker: str) -> dict[str, Any]:
    return {"worker": worker, "claim": f"{worker}-claim", "batch": 10, "lease_ms": 60_000}


def test_a_racing_claim_blocks_on_the_lock_then_finds_the_notification_taken(neo4j_settings: StoreSettings) -> None:
    store = GraphStore()
    reset_outbox(store)
    store.write(
        "CREATE (:Notification {id: 'RACE|11|2026-04|webhook', agency: 'RACE', region: '11', period: '2026-04', "
        "channel: 'webhook', status: 'pending', attempts: 0, next_attempt_at: datetime(), created_at: datetime()})"
    )
    info = resolve_connection(get_settings())
    second: dict[str, Any] = {}
    driver = GraphDatabase.driver(info.uri, auth=(info.user, info.password))
    with driver, driver.session(database=info.database) as s1:
        tx1 = s1.begin_transaction()
        first = [r["id"] for r in tx1.run(CLAIM, _params("one")).data()]

        def racing() -> None:
            with driver.session(database=info.database) as s2:
                tx2 = s2.begin_transaction(metadata={"app": "racing-claim"})
                second["rows"] = [r["id"] for r in tx2.run(CLAIM, _params("two")).data()]
                tx2.commit()

        thread = threading.Thread(target=racing)
        thread.start()
        blocked = False
        for _ in range(2000):
            rows = store.read(
                "SHOW TRANSACTIONS YIELD metaData, status WHERE metaData.app = 'racing-claim' RETURN status"
            )
            if rows and str(rows[0]["status"]).startswith("Blocked"):
                blocked = True
                break
            threading.Event().wait(0.01)
        tx1.commit()
        thread.join(60)
    assert first == ["RACE|11|2026-04|webhook"]
    assert blocked, "the racing claim never waited for the first one's lock"
    assert second["rows"] == []
    assert store.read("MATCH (n:Notification {id: 'RACE|11|2026-04|webhook'}) RETURN n.claimed_by AS who") == [
        {"who": "one"}
    ]
