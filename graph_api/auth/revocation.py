"""Revoked token and grant ids, written by the embedded server and read by the validator.

An access token is a self-contained JWT: revoking it means remembering its ``jti``
(or the ``sid`` of its grant) until it would have expired anyway.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from graphstore.store import AsyncGraphStore, GraphStore


class RevocationChecker(Protocol):
    """Tells whether any of a token's ids (``jti``, ``sid``) has been revoked."""

    async def is_revoked(self, ids: Sequence[str]) -> bool:
        """True when one of ``ids`` is revoked."""
        ...


class GraphRevocationChecker:
    """Reads ``OAuthRevocation`` nodes (embedded mode).

    Args:
        store: the async store; when omitted, the process-wide async driver is looked
            up on every call, so that an application whose lifespan closes it
            (``graphstore.driver.close_async_driver``) and a later one on another
            event loop each get a driver of their own loop.
    """

    def __init__(self, store: AsyncGraphStore | None = None) -> None:
        self._store = store

    async def is_revoked(self, ids: Sequence[str]) -> bool:
        """True when one of ``ids`` is revoked."""
        if not ids:
            return False
        store = self._store or AsyncGraphStore()
        rows = await store.read("MATCH (r:OAuthRevocation) WHERE r.id IN $ids RETURN count(r) AS n", {"ids": list(ids)})
        return bool(rows and rows[0]["n"])


async def revoked_among(store: AsyncGraphStore, ids: Sequence[str]) -> set[str]:
    """The ids among ``ids`` that are revoked (one query for many tokens' ids)."""
    if not ids:
        return set()
    rows = await store.read("MATCH (r:OAuthRevocation) WHERE r.id IN $ids RETURN r.id AS id", {"ids": sorted(set(ids))})
    return {r["id"] for r in rows}


def revoke_ids(store: GraphStore, ids: Sequence[str], until: int, reason: str) -> None:
    """Records ids as revoked until ``until`` (Unix seconds), after which they are moot.

    Args:
        store: the store.
        ids: token ids (``jti``) or grant ids (``sid``).
        until: when the last token carrying them expires.
        reason: why (``revoked``, ``code_reuse``, ``refresh_reuse``), for the record.
    """
    store.write(
        "UNWIND $ids AS id MERGE (r:OAuthRevocation {id: id}) "
        "ON CREATE SET r.revoked_at = $now, r.reason = $reason "
        "SET r.until = CASE WHEN r.until IS NULL OR r.until < $until THEN $until ELSE r.until END",
        {"ids": list(ids), "until": until, "now": int(time.time()), "reason": reason},
    )


def purge_expired(store: GraphStore) -> int:
    """Deletes revocations whose tokens have all expired; returns how many."""
    rows = store.write(
        "MATCH (r:OAuthRevocation) WHERE r.until < $now DELETE r RETURN count(*) AS n",
        {"now": int(time.time())},
    )
    return int(rows[0]["n"]) if rows else 0
