"""Writes and reads the audit trail; nothing here updates or deletes an entry.

The trail is append-only by construction: the only Cypher that touches
``AuditEntry`` nodes is the ``CREATE`` and the ``MATCH … RETURN`` below, and no
mutation of the schema reaches it. Reads of data blocks are written before the
data is returned (no unaudited read), and each mutation writes its entry in its
own transaction (no unaudited change, no entry for a change that rolled back).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction

from graph_api.audit.model import AuditEntry, Outcome
from graph_api.auth.principal import Scope
from graph_api.context import RequestContext
from graph_api.db import GuardedStore
from graph_api.errors import bad_input, forbidden
from graphstore.store import AsyncGraphStore

T = TypeVar("T")

WRITE_SCOPE = Scope.WRITE.value
"""The OAuth scope every mutation needs."""

_CREATE = """
UNWIND $entries AS e
CREATE (a:AuditEntry)
SET a = e
"""
_APPEND = """
UNWIND $rows AS e
CREATE (a:AuditEntry)
SET a = e
"""


async def record(store: AsyncGraphStore, entries: Sequence[AuditEntry]) -> None:
    """Appends entries in one transaction, and returns once it has committed.

    On the API's store the transaction is shared with the entries other requests
    append at the same time (group commit, ``GuardedStore.append``): fewer
    transactions under load, the same guarantee, since this still returns only
    after the entries are durable.

    Args:
        store: the graph store.
        entries: the entries; nothing is written when empty.

    Raises:
        StoreUnavailable: Neo4j is down; the caller must then not return the data.
    """
    if not entries:
        return
    rows = [e.params() for e in entries]
    if isinstance(store, GuardedStore):
        await store.append(_APPEND, rows)
    else:
        await store.write(_CREATE, {"entries": rows})


async def record_in_tx(tx: AsyncManagedTransaction, entry: AuditEntry) -> None:
    """Appends one entry inside the caller's write transaction (for mutations)."""
    await (await tx.run(_CREATE, {"entries": [entry.params()]})).consume()


async def audited_write(
    ctx: RequestContext,
    action: str,
    target: str,
    work: Callable[[AsyncManagedTransaction], Awaitable[T]],
    *,
    in_zone: bool = False,
) -> T:
    """Runs a mutation's ``work`` and its audit entry in one write transaction.

    Every mutation of every domain goes through this: the change and its entry
    commit together or not at all.

    Args:
        ctx: the request context (who, which request).
        action: the audited action, ``mutation:<name>``.
        target: what is changed, ``<kind>:<id>``.
        work: the change; it receives the transaction.
        in_zone: the target company is in the caller's zones.

    Raises:
        ApiError: ``FORBIDDEN`` when the token lacks the ``signaux:write`` scope.
    """
    principal = ctx.me
    if not principal.has_scope(WRITE_SCOPE):
        raise forbidden()
    entry = AuditEntry.new(principal, ctx.request_id, action, target, in_zone=in_zone)

    async def both(tx: AsyncManagedTransaction) -> T:
        result = await work(tx)
        await record_in_tx(tx, entry)
        return result

    return await ctx.store.write_tx(both)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list (every field optional, combined with AND)."""

    sub: str | None = None
    agency: str | None = None
    action: str | None = None
    target: str | None = None
    outcome: Outcome | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first."""

    entries: list[AuditEntry]
    total: int
    end_cursor: str | None
    has_next: bool


def encode_cursor(entry: AuditEntry) -> str:
    """An opaque cursor after ``entry`` (its time and id)."""
    raw = json.dumps([entry.at.isoformat(), entry.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (time, id) of a cursor.

    Raises:
        ApiError: ``BAD_USER_INPUT`` for a cursor this API did not produce.
    """
    try:
        at, entry_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(at), str(entry_id)
    except (ValueError, TypeError):
        raise bad_input("the cursor is invalid", argument="after") from None


_WHERE = """
MATCH (a:AuditEntry)
WHERE ($sub IS NULL OR a.sub = $sub)
  AND ($agency IS NULL OR a.agency = $agency)
  AND ($action IS NULL OR a.action = $action)
  AND ($target IS NULL OR a.target = $target)
  AND ($outcome IS NULL OR a.outcome = $outcome)
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
"""
_COUNT = _WHERE + "RETURN count(a) AS total"
_PAGE = (
    _WHERE
    + """
  AND ($after_at IS NULL OR a.at < $after_at OR (a.at = $after_at AND a.id < $after_id))
RETURN a ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""
)


def _entry(node: Any) -> AuditEntry:
    at = node["at"]
    return AuditEntry(
        id=node["id"],
        at=at.to_native() if hasattr(at, "to_native") else at,
        sub=node["sub"],
        agency=node["agency"],
        client_id=node["client_id"],
        action=node["action"],
        target=node["target"],
        in_zone=bool(node["in_zone"]),
        request_id=node["request_id"],
        outcome=Outcome(node.get("outcome") or Outcome.ALLOWED.value),
        basis=node.get("basis"),
    )


async def list_entries(store: AsyncGraphStore, flt: AuditFilter, first: int, after: str | None) -> AuditPage:
    """A page of the audit trail, newest first, with the total matching the filter.

    Args:
        store: the graph store.
        flt: the filter.
        first: page size (already checked against the limits).
        after: the cursor of the last entry of the previous page.
    """
    after_at, after_id = decode_cursor(after) if after else (None, None)
    params: dict[str, Any] = {
        "sub": flt.sub,
        "agency": flt.agency,
        "action": flt.action,
        "target": flt.target,
        "outcome": flt.outcome.value if flt.outcome else None,
        "since": flt.since,
        "until": flt.until,
        "after_at": after_at,
        "after_id": after_id,
        "limit": first + 1,
    }

    async def work(tx: AsyncManagedTransaction) -> tuple[int, list[AuditEntry]]:
        total = (await (await tx.run(_COUNT, params)).single(strict=True))["total"]
        page = [_entry(r["a"]) async for r in await tx.run(_PAGE, params)]
        return int(total), page

    total, entries = await store.read_tx(work)
    has_next = len(entries) > first
    entries = entries[:first]
    return AuditPage(entries, total, encode_cursor(entries[-1]) if entries else None, has_next)
