"""Reads and writes ``(Agency)-[:FOLLOWS]->(Company)``, each change with its timeline event.

A follow is never deleted: ending it sets ``until`` (and the outcome), so the
agency's history stays; a later follow is a new relationship. Only a follow
without ``until`` grants access (``graph_api.doctrine.facts``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.audit.model import company_target
from graph_api.audit.service import audited_write
from graph_api.context import RequestContext
from graph_api.errors import ApiError, ErrorCode, forbidden
from graph_api.follow.events import lock_company, write_event
from graph_api.pagination import OffsetCursor
from graphstore.store import AsyncGraphStore

_RETURN = """
RETURN coalesce(f.id, elementId(f)) AS id, c.siren AS siren, c.name AS name, f.reason AS reason,
       f.comment AS comment, f.since AS since, f.by AS by, f.until AS until, f.outcome AS outcome,
       f.end_comment AS end_comment, f.ended_by AS ended_by
"""

_CURRENT = """
MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(:Company {siren: $siren}) WHERE f.until IS NULL
RETURN count(f) AS n
"""

_START = (
    """
MATCH (c:Company {siren: $siren})
MERGE (ag:Agency {code: $agency})
CREATE (ag)-[f:FOLLOWS {id: $id, since: $at, reason: $reason, comment: $comment, by: $sub}]->(c)
"""
    + _RETURN
)

_END = (
    """
MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c:Company {siren: $siren}) WHERE f.until IS NULL
SET f.until = $at, f.outcome = $outcome, f.end_comment = $comment, f.ended_by = $sub
"""
    + _RETURN
)

_WHERE = """
MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c:Company)
WHERE $status = 'all' OR ($status = 'current' AND f.until IS NULL) OR ($status = 'ended' AND f.until IS NOT NULL)
"""
_COUNT = _WHERE + "RETURN count(f) AS total"
# Follows written by hand or by older code may carry a date rather than a datetime:
# compared as datetimes, so the newest comes first whatever the type.
_PAGE = (
    _WHERE
    + "WITH f, c, CASE WHEN f.since IS :: DATE THEN datetime({date: f.since}) ELSE f.since END AS sort_at"
    + _RETURN
    + "ORDER BY sort_at DESC, id ASC SKIP $skip LIMIT $limit"
)


@dataclass(frozen=True)
class Change:
    """What a follow mutation does, as the caller asked it."""

    siren: str
    code: str
    comment: str | None


async def _current(tx: AsyncManagedTransaction, agency: str, siren: str) -> int:
    record = await (await tx.run(_CURRENT, {"agency": agency, "siren": siren})).single(strict=True)
    return int(record["n"])


async def start(ctx: RequestContext, change: Change, *, in_zone: bool) -> dict[str, Any]:
    """Starts a follow by the caller's agency, with its ``follow_started`` event; audited.

    Args:
        ctx: the request context (the caller's right to follow is already checked).
        change: the company, the reason code and a comment.
        in_zone: the company is in the caller's zones (for the audit entry).

    Raises:
        ApiError: ``FORBIDDEN`` when the company is unknown; ``CONFLICT`` when the
            agency already follows it (nothing written).
    """
    me = ctx.me
    at = datetime.now(UTC)
    params = {"siren": change.siren, "agency": me.agency, "sub": me.sub, "id": str(uuid.uuid4()), "at": at}
    params |= {"reason": change.code, "comment": change.comment}

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        if not await lock_company(tx, change.siren):
            raise forbidden()
        if await _current(tx, me.agency, change.siren):
            raise ApiError(ErrorCode.CONFLICT, "your agency already follows this company")
        row = dict(await (await tx.run(_START, params)).single(strict=True))
        payload = {"follow_id": row["id"], "agency": me.agency, "reason": change.code}
        await write_event(tx, change.siren, "follow_started", at, f"Followed by {me.agency}", payload)
        return row

    return await audited_write(ctx, "mutation:followCompany", company_target(change.siren), work, in_zone=in_zone)


async def end(ctx: RequestContext, change: Change, *, in_zone: bool) -> dict[str, Any]:
    """Ends the caller's agency's current follow, with its ``follow_ended`` event; audited.

    Raises:
        ApiError: ``FORBIDDEN`` when the company is unknown or not followed by the
            agency (the same answer: nothing to end), nothing written.
    """
    me = ctx.me
    at = datetime.now(UTC)
    params = {"siren": change.siren, "agency": me.agency, "sub": me.sub, "at": at}
    params |= {"outcome": change.code, "comment": change.comment}

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        if not await lock_company(tx, change.siren):
            raise forbidden()
        record = await (await tx.run(_END, params)).single()
        if record is None:
            raise forbidden()
        row = dict(record)
        payload = {"follow_id": row["id"], "agency": me.agency, "outcome": change.code}
        await write_event(tx, change.siren, "follow_ended", at, f"No longer followed by {me.agency}", payload)
        return row

    return await audited_write(ctx, "mutation:unfollowCompany", company_target(change.siren), work, in_zone=in_zone)


CURSOR = OffsetCursor("follows")
"""Cursors of this list's positions."""
encode_offset = CURSOR.encode
decode_offset = CURSOR.decode


async def page(
    store: AsyncGraphStore, agency: str, status: str, skip: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """The agency's follows with ``status``, newest first: the total and one page (``limit + 1`` rows)."""
    params = {"agency": agency, "status": status, "skip": skip, "limit": limit + 1}

    async def work(tx: AsyncManagedTransaction) -> tuple[int, list[dict[str, Any]]]:
        total = (await (await tx.run(_COUNT, params)).single(strict=True))["total"]
        rows = [dict(r) async for r in await tx.run(_PAGE, params)]
        return int(total), rows

    return await store.read_tx(work)
