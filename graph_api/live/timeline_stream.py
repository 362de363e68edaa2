"""New timeline events of one company, found by polling Neo4j.

TimelineEvents are written by several writers (the loaders, whose events carry
the delivery's ``known_on``, and the API's mutations) and Neo4j has no
sequence, so there is no timestamp every writer sets in commit order. The
stream therefore remembers the ids of the company's events it has already
seen and, at each poll, reads the ids again (one indexed hop from the company):
whatever id is new was committed since, whichever process or loader wrote it.
A company has at most a few hundred events, so the set stays small.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

_IDS: LiteralString = "MATCH (:Company {siren: $siren})<-[:ABOUT]-(e:TimelineEvent) RETURN e.id AS id"

_EVENTS: LiteralString = """
UNWIND $ids AS id
MATCH (e:TimelineEvent {id: id})-[:ABOUT]->(:Company {siren: $siren})
RETURN e.id AS id, e.kind AS kind, e.source AS source, e.occurred_on AS occurred_on, e.known_on AS known_on,
       e.summary AS summary, e.payload AS payload, coalesce(e.pinned, false) AS pinned
"""


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


class TimelineCursor:
    """Where a company's stream stands: the ids of the events already seen.

    Args:
        store: the graph store.
        siren: the company.
    """

    def __init__(self, store: AsyncGraphStore, siren: str) -> None:
        self.store = store
        self.siren = siren
        self.seen: set[str] = set()

    async def start(self) -> None:
        """Marks every event already there as seen: the stream carries only later ones."""
        self.seen = {str(r["id"]) for r in await self.store.read(_IDS, {"siren": self.siren})}

    async def poll(self, limit: int) -> list[dict[str, Any]]:
        """The events written since the last poll, oldest first (at most ``limit``; the rest next time)."""
        ids = {str(r["id"]) for r in await self.store.read(_IDS, {"siren": self.siren})}
        new = sorted(ids - self.seen)[:limit]
        if not new:
            return []
        rows = await self.store.read(_EVENTS, {"ids": new, "siren": self.siren})
        self.seen.update(new)
        events = [{k: _native(v) for k, v in r.items()} for r in rows]
        events.sort(key=lambda r: (str(r["occurred_on"]), r["id"]))
        return events
