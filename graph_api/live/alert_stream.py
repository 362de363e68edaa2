"""New detection-list items and list publications, found by polling Neo4j on ``created_at``.

Alerts (``scoring.alerts.detection.write_alerts``) and publications
(``graph_api.notifications.publications``) carry ``created_at`` set by the
server's clock in the writing transaction. A transaction may commit after a
later one, so the cursor looks back ``overlap`` seconds behind the newest item
seen and skips the ids it already sent within that window: nothing is missed,
nothing is sent twice, whichever API process polls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

ALERTS: LiteralString = """
MATCH (a:Alert)-[:FOR]->(c:Company)
WHERE a.created_at >= $since AND a.listed = true AND c.departement IN $zones AND NOT a.id IN $seen
RETURN a.id AS id, a.created_at AS at, a.siren AS siren, c.name AS name, c.departement AS departement,
       a.period AS period, a.level AS level, a.region AS region, a.first_alert AS first_alert,
       a.rank AS rank, a.p12 AS p12
ORDER BY at ASC, id ASC
LIMIT $limit
"""

PUBLICATIONS: LiteralString = """
MATCH (p:DetectionListPublication)
WHERE p.published_at >= $since AND p.region IN $regions AND NOT p.id IN $seen
RETURN p.id AS id, p.published_at AS at, p.region AS region, p.period AS period, p.items AS items
ORDER BY at ASC, id ASC
LIMIT $limit
"""


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


class CreatedCursor:
    """A position in a stream ordered by a server-side creation time.

    Args:
        store: the graph store.
        query: returns ``id`` and ``at`` (plus the item's fields), filtered by
            ``$since``, ``$seen`` and ``$limit`` and the caller's own parameters.
        params: the caller's parameters (zones, regions).
        overlap: seconds looked back behind the newest item seen.
    """

    def __init__(self, store: AsyncGraphStore, query: LiteralString, params: dict[str, Any], overlap: float) -> None:
        self.store = store
        self.query = query
        self.params = params
        self.overlap = timedelta(seconds=overlap)
        self.high: datetime | None = None
        self.seen: dict[str, datetime] = {}

    async def start(self) -> None:
        """Starts at the server's current time; items already in the look-back window count as seen."""
        now = (await self.store.read("RETURN datetime() AS now"))[0]["now"]
        self.high = _native(now)
        for row in await self._read(10_000):
            self.seen[str(row["id"])] = row["at"]

    async def _read(self, limit: int) -> list[dict[str, Any]]:
        assert self.high is not None, "start() first"
        params = {**self.params, "since": self.high - self.overlap, "seen": list(self.seen), "limit": limit}
        return [{k: _native(v) for k, v in r.items()} for r in await self.store.read(self.query, params)]

    async def poll(self, limit: int) -> list[dict[str, Any]]:
        """Items committed since the last poll, oldest first (at most ``limit``; the rest next time)."""
        now = _native((await self.store.read("RETURN datetime() AS now"))[0]["now"])
        rows = await self._read(limit)
        for row in rows:
            self.seen[str(row["id"])] = row["at"]
        assert self.high is not None
        newest = max([self.high, *(r["at"] for r in rows)])
        # Without a full page everything up to `now` was read: the window may move
        # there, so that the look-back stays short even when nothing happens.
        self.high = max(newest, now) if len(rows) < limit else newest
        floor = self.high - self.overlap
        # Ids older than the window can no longer come back: forget them.
        self.seen = {i: at for i, at in self.seen.items() if at >= floor}
        return rows
