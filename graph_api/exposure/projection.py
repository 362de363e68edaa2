"""Keeps the companies' links in memory (``linkgraph.LinkGraph``) while the graph holds what they were read from.

Links are written only by the loaders, inside a delivery (``loaders.refresh``:
a ``Delivery`` node is ``loading`` from before its first write until after its
last, then gets its ``loaded_at``). Before each search the API reads a
fingerprint of the graph: the deliveries (how many, how many loading, the
latest ``loaded_at``) and the number of relationships of each link type, from
Neo4j's count store (no scan). Then:

- the fingerprint is the one the links in memory were read under: the search
  runs on them;
- it changed: the links are read again (once, whatever the number of requests
  waiting), then the search runs;
- a delivery is loading: the links are changing, so the search runs as one
  Cypher statement on the graph itself (``service.related``), as it does with
  ``SIGNAUX_API_LINK_PROJECTION=false``.

The fingerprint reads of concurrent requests share one read (``graph_api.batching``);
each starts after its request arrived, so a search sees every delivery finished
before it was asked. A change to a link's properties made outside any delivery
(by hand) leaves the fingerprint as it was: the links are read again at least
every ``SIGNAUX_API_LINK_PROJECTION_MAX_AGE`` seconds (default 600).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import weakref
from dataclasses import dataclass
from typing import Any, LiteralString

from graph_api.batching import Coalescer
from graph_api.context import RequestContext
from graph_api.exposure import service
from graph_api.exposure.linkgraph import Candidate, LinkGraph
from graphstore.store import AsyncGraphStore

_FINGERPRINT: LiteralString = """
CALL () { MATCH ()-[r:OWNS]->() RETURN count(r) AS owns }
CALL () { MATCH ()-[r:DIRECTS]->() RETURN count(r) AS directs }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS member_of }
CALL () { MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS supplies }
CALL () {
  OPTIONAL MATCH (d:Delivery)
  RETURN count(d) AS deliveries, count(CASE WHEN d.status = 'loading' THEN 1 END) AS loading,
         max(d.loaded_at) AS loaded_at
}
RETURN [owns, directs, member_of, supplies, deliveries, loading, toString(loaded_at)] AS fingerprint, loading
"""

_LINKS: LiteralString = """
MATCH (a)-[r:OWNS|DIRECTS|MEMBER_OF|SUPPLIES]->(b)
WITH a, r, b, a:Company AS ac, b:Company AS bc
RETURN collect(type(r)) AS type,
  collect(ac) AS ac, collect(a:Group) AS ag, collect(CASE WHEN ac THEN coalesce(a.siren, '') ELSE elementId(a) END) AS ak,
  collect(bc) AS bc, collect(b:Group) AS bg, collect(CASE WHEN bc THEN coalesce(b.siren, '') ELSE elementId(b) END) AS bk,
  collect([r.until, r.percentage, r.supplier_dependency, r.client_dependency]) AS props
"""
"""Every link, as one record of columns (``LinkGraph``)."""


@dataclass(frozen=True)
class _State:
    fingerprint: tuple[Any, ...]
    loading: bool


class LinkProjection:
    """The links of one graph store held in memory, read again when the graph's fingerprint changes.

    Args:
        store: the graph store the links are read from.
        max_age: seconds after which the links are read again whatever the fingerprint.
    """

    def __init__(self, store: AsyncGraphStore, max_age: float) -> None:
        self._store = store
        self._max_age = max_age
        self._graph: LinkGraph | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._read_at = 0.0
        self._lock: asyncio.Lock | None = None
        self._checks: Coalescer[None, _State] = Coalescer(self._check)
        self.builds = 0

    async def _check(self, items: list[None]) -> list[_State]:
        rows = await self._store.read(_FINGERPRINT)
        state = _State(tuple(rows[0]["fingerprint"]), int(rows[0]["loading"]) > 0)
        return [state] * len(items)

    async def graph(self) -> LinkGraph | None:
        """The links as the graph holds them now; None while a delivery is loading."""
        state = await self._checks.submit(None)
        if state.loading:
            return None
        if self._fresh(state.fingerprint):
            return self._graph
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._fresh(state.fingerprint):  # read meanwhile by another request
                return self._graph
            # The fingerprint is read again before the links: a delivery that starts
            # while they are read changes it, and the next search reads them again.
            now = await self._check([None])
            if now[0].loading:
                return None
            columns = (await self._store.read(_LINKS))[0]
            graph = await asyncio.to_thread(LinkGraph, columns)  # about a second on a region: not on the event loop
            self._graph, self._fingerprint, self._read_at = graph, now[0].fingerprint, time.monotonic()
            self.builds += 1
            return graph

    def _fresh(self, fingerprint: tuple[Any, ...]) -> bool:
        return (
            self._graph is not None
            and fingerprint == self._fingerprint
            and time.monotonic() - self._read_at < self._max_age
        )


_projections: weakref.WeakKeyDictionary[AsyncGraphStore, LinkProjection] = weakref.WeakKeyDictionary()


def projection_of(ctx: RequestContext) -> LinkProjection:
    """The link projection of the request's graph store (one per store, made on first use)."""
    found = _projections.get(ctx.store)
    if found is None:
        found = _projections[ctx.store] = LinkProjection(ctx.store, ctx.settings.link_projection_max_age)
    return found


async def related(ctx: RequestContext, siren: str, max_hops: int, first: int) -> tuple[int, list[Candidate]]:
    """``service.related``'s answer, from the links in memory when they are current."""
    if ctx.settings.link_projection:
        graph = await projection_of(ctx).graph()
        if graph is not None:
            return graph.related(siren, max_hops, first, dt.datetime.now(dt.UTC).date())
    return await service.related(ctx.store, siren, max_hops, first)
