"""Mutations of the timeline: ``pinEvent`` and ``unpinEvent`` (per agency)."""

from __future__ import annotations

import strawberry

from graph_api.company.loaders import decision_loader
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import in_zone
from graph_api.errors import bad_input, forbidden
from graph_api.fields import mutation
from graph_api.timeline import kinds as k
from graph_api.timeline import pins
from graph_api.timeline.types import TimelineEvent

MAX_EVENT_ID = 300


async def _visible(ctx: RequestContext, siren: str, event_id: str) -> bool:
    """Whether the caller may see the event (public kind, or its block granted): pin only what you see."""
    kind = await pins.event_kind(ctx.store, siren, event_id)
    if kind is None:
        return False
    if kind in k.PUBLIC_KINDS:
        return True
    block = k.block_of(kind)
    return block is not None and (await decision_loader(ctx, block).load(siren)).allowed


async def _set(info: ApiInfo, siren: str, event_id: str, pinned: bool) -> TimelineEvent:
    ctx = info.context
    s = check_siren(siren)
    if not event_id or len(event_id) > MAX_EVENT_ID:
        raise bad_input("eventId is an event id", argument="eventId")
    if not await _visible(ctx, s, event_id):
        raise forbidden()
    facts = await facts_loader(ctx).load(s)
    row = await pins.set_pin(ctx, s, event_id, pinned, in_zone=in_zone(ctx.me, facts))
    return TimelineEvent.from_row(row)


@strawberry.type
class TimelineMutation:
    @mutation(
        description=(
            "Pins an event of a company's timeline for the caller's agency (shown first with "
            "`timeline(pinnedFirst: true)`). Only an event the caller may see; FORBIDDEN alike for an unknown "
            "event. Idempotent; audited."
        )
    )
    async def pin_event(self, info: ApiInfo, siren: str, event_id: str) -> TimelineEvent:
        return await _set(info, siren, event_id, True)

    @mutation(description="Removes the caller's agency's pin from an event. Idempotent; audited.")
    async def unpin_event(self, info: ApiInfo, siren: str, event_id: str) -> TimelineEvent:
        return await _set(info, siren, event_id, False)
