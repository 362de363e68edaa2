"""Root subscription fields: ``companyTimeline`` and ``alertFeed``.

Both are authorised at subscribe time and again before every batch of events
(``graph_api.live.access``): a token that expired or was revoked ends the
stream; an event of a data block the doctrine no longer grants is not sent.
Both poll Neo4j (``SIGNAUX_LIVE_POLL_INTERVAL``), so any API process sees what
any writer committed; a Neo4j outage pauses the stream instead of ending it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar, cast

import strawberry

from graph_api.auth.principal import Principal
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.blocks import BLOCK_ROLE, DETECTION_ROLE, DataBlock
from graph_api.doctrine.guard import authorize_blocks, company_facts, require_role
from graph_api.doctrine.rules import CompanyFacts
from graph_api.errors import ApiError, ErrorCode
from graph_api.live import alert_stream
from graph_api.live.access import granted_blocks, still_valid
from graph_api.live.timeline_stream import TimelineCursor
from graph_api.live.types import AlertFeedEvent, DetectionListPublished, FeedAlert
from graph_api.timeline import kinds
from graph_api.timeline.types import TimelineEvent
from graphstore.errors import StoreUnavailable
from graphstore.geo import region_of

log = logging.getLogger("signaux.api.live")
F = TypeVar("F", bound=Callable[..., Any])


def subscription(*, description: str) -> Callable[[F], F]:
    """``@strawberry.subscription(...)``, typed for the checker (as ``graph_api.fields``)."""
    return cast(Callable[[F], F], strawberry.subscription(description=description))


def _ended() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "the token is no longer valid; subscribe again with a new one")


async def _poll(ctx: RequestContext, poll: Callable[[int], Any]) -> list[dict[str, Any]]:
    await asyncio.sleep(ctx.settings.live.poll_interval)
    try:
        rows: list[dict[str, Any]] = await poll(ctx.settings.live.batch)
    except StoreUnavailable:
        # The outage is answered elsewhere; the stream waits for Neo4j to come back.
        log.warning("live poll skipped: Neo4j unavailable")
        return []
    return rows


def _readable(principal: Principal, row: dict[str, Any], granted: set[DataBlock], facts: CompanyFacts) -> bool:
    """Public kinds for everyone; block kinds when granted now; collaboration kinds
    (follows, notes, interventions) by their note-like rule; unclassified kinds never."""
    kind = row["kind"]
    if kind in kinds.PUBLIC_KINDS:
        return True
    block = kinds.block_of(kind)
    if block is not None:
        return block in granted
    payload = row.get("payload")
    try:
        decoded = json.loads(payload) if isinstance(payload, str) else payload
    except ValueError:
        return False
    return isinstance(decoded, dict) and kinds.collaboration_event_readable(principal, kind, decoded, facts)


async def _timeline(ctx: RequestContext, siren: str) -> AsyncGenerator[TimelineEvent, None]:
    cursor = TimelineCursor(ctx.store, siren)
    await cursor.start()
    while True:
        rows = await _poll(ctx, cursor.poll)
        if not rows:
            continue
        principal = await still_valid(ctx)
        if principal is None:
            raise _ended()
        ctx.reset_loaders()  # fresh facts for this batch, not an earlier batch's cache
        needed = {b for b in (kinds.block_of(r["kind"]) for r in rows) if b is not None}
        granted = await granted_blocks(ctx, siren, needed) if needed else set()
        facts = (await company_facts(ctx, [siren]))[0]
        for row in rows:
            if _readable(principal, row, granted, facts):
                yield TimelineEvent.from_row(row)


async def _feed(ctx: RequestContext) -> AsyncGenerator[AlertFeedEvent, None]:
    me = ctx.me
    zones = sorted(me.zones)
    regions = sorted({r for r in (region_of(z) for z in zones) if r})
    overlap = ctx.settings.live.overlap
    lists = alert_stream.CreatedCursor(ctx.store, alert_stream.PUBLICATIONS, {"regions": regions}, overlap)
    items = alert_stream.CreatedCursor(ctx.store, alert_stream.ALERTS, {"zones": zones}, overlap)
    await lists.start()
    await items.start()

    async def both(limit: int) -> list[dict[str, Any]]:
        published = [{**r, "_kind": "list"} for r in await lists.poll(limit)]
        try:
            listed = [{**r, "_kind": "item"} for r in await items.poll(limit)]
        except StoreUnavailable:
            # The publications already read must still go out; the items come next time.
            listed = []
        return published + listed

    while True:
        rows = await _poll(ctx, both)
        if not rows:
            continue
        principal = await still_valid(ctx)
        if principal is None:
            raise _ended()
        if not principal.has_role(DETECTION_ROLE):
            return
        scored: set[str] = set()
        sirens = sorted({r["siren"] for r in rows if r["_kind"] == "item"})
        if sirens and principal.has_role(BLOCK_ROLE[DataBlock.SCORES]):
            ctx.reset_loaders()  # fresh facts: a follow may have ended since the last batch
            decisions = await authorize_blocks(ctx, DataBlock.SCORES, sirens)
            scored = {s for s, d in decisions.items() if d.allowed}
        for row in rows:
            if row["_kind"] == "list":
                if row["region"] in regions:
                    yield DetectionListPublished(
                        region=row["region"], period=row["period"], items=int(row["items"] or 0), published_at=row["at"]
                    )
            elif principal.covers(row["departement"]):
                yield FeedAlert.from_row(row, with_score=row["siren"] in scored)


@strawberry.type
class LiveSubscription:
    @subscription(
        description=(
            "New events of a company's timeline as they are written. Public kinds for every agent; kinds of a "
            "data block only while the doctrine grants that block (checked again before every event)."
        )
    )
    async def company_timeline(self, info: ApiInfo, siren: str) -> AsyncGenerator[TimelineEvent, None]:
        ctx = info.context
        ctx.me  # noqa: B018 - authenticated callers only
        s = check_siren(siren)
        async for event in _timeline(ctx, s):
            yield event

    @subscription(
        description=(
            "Companies newly put on a published detection list in the agent's zones, and list publications of "
            "the agent's regions. Role `detection`; `p12` only where the scores block is granted."
        )
    )
    async def alert_feed(self, info: ApiInfo) -> AsyncGenerator[AlertFeedEvent, None]:
        ctx = info.context
        require_role(ctx, DETECTION_ROLE)
        async for event in _feed(ctx):
            yield event
