"""Root field of the company timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from graph_api.company.loaders import decision_loader
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.facts import facts_loader
from graph_api.errors import bad_input
from graph_api.fields import field
from graph_api.pagination import page_size
from graph_api.timeline import kinds as k
from graph_api.timeline import service
from graph_api.timeline.types import TimelineConnection, TimelineEdge, TimelineEvent, TimelinePageInfo


def _cursor(value: str | None, argument: str) -> service.Key | None:
    if value is None:
        return None
    key = service.decode(value)
    if key is None:
        raise bad_input("invalid cursor", argument=argument)
    return key


async def _granted(ctx: RequestContext, siren: str, wanted: list[str] | None) -> tuple[set[DataBlock], list[str]]:
    """The blocks granted for the company (only those the requested kinds need, each audited)."""
    granted: set[DataBlock] = set()
    hidden: list[str] = []
    for block, block_kinds in k.BLOCK_KINDS.items():
        if wanted is not None and not block_kinds.intersection(wanted):
            continue
        decision = await decision_loader(ctx, block).load(siren)
        if decision.allowed:
            granted.add(block)
        else:
            hidden.append(block.value)
    return granted, hidden


async def _collaboration_kinds(ctx: RequestContext, siren: str) -> list[str]:
    """Follow and intervention events, when the caller's agency is involved with the company.

    Such an event is readable like an ``INVOLVED`` note (``kinds.collaboration_event_readable``):
    by every agency involved with the company, and its author. Involvement is one fact per
    company, so the stream stays a keyset query; an agency no longer involved does not see
    even its own past events here (stricter than the rule, never wider). Note events follow
    their note's own rule instead (``service._WHERE``).
    """
    facts = await facts_loader(ctx).load(siren)
    if ctx.me.agency in facts.involved_agencies:
        return sorted(k.FOLLOW_KINDS | k.INTERVENTION_KINDS)
    return []


@strawberry.type
class TimelineQuery:
    @field(
        description=(
            "A company's events, oldest first (pinned ones first with `pinnedFirst`), keyset-paginated (`first`/`after` forward, `last`/`before` "
            "backward). Events of a data block (URSSAF, short-time work, scores) only when the doctrine "
            "grants that block; public events (judgments, Sirene, group and ownership changes) for all; "
            "follow and intervention events for the agencies involved with the company; note events "
            "for whoever may read the note."
        )
    )
    async def timeline(
        self,
        info: ApiInfo,
        siren: str,
        kinds: list[str] | None = None,
        sources: list[str] | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        pinned_first: Annotated[
            bool,
            strawberry.argument(
                description="The events pinned by the caller's agency first (oldest first), then the rest."
            ),
        ] = False,
    ) -> TimelineConnection:
        ctx = info.context
        ctx.me  # noqa: B018 - authenticated callers only
        s = check_siren(siren)
        if first is not None and last is not None:
            raise bad_input("give first or last, not both", argument="last")
        backward = last is not None or (before is not None and first is None)
        limit = page_size(last if backward else first, ctx.settings.limits)
        after_key, before_key = _cursor(after, "after"), _cursor(before, "before")
        granted, hidden = await _granted(ctx, s, kinds)
        allowed = k.visible_kinds(granted) + await _collaboration_kinds(ctx, s)
        wanted = [x for x in allowed if x in kinds] if kinds is not None else allowed
        note_kinds = sorted(k.NOTE_KINDS if kinds is None else k.NOTE_KINDS.intersection(kinds))
        involved = ctx.me.agency in (await facts_loader(ctx).load(s)).involved_agencies
        window = service.Window(
            s,
            wanted,
            sources,
            from_,
            to,
            after_key,
            before_key,
            limit,
            backward,
            ctx.me.agency,
            pinned_first,
            note_kinds,
            involved,
        )
        rows, more = await service.events(ctx.store, window)
        total = await service.total(ctx.store, window)
        edges = [
            TimelineEdge(
                cursor=service.encode(service.Key(r["occurred_on"], r["id"], int(r["rank"]))),
                node=TimelineEvent.from_row(r),
            )
            for r in rows
        ]
        info_ = TimelinePageInfo(
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
            has_next_page=more if not backward else before_key is not None,
            has_previous_page=more if backward else after_key is not None,
        )
        return TimelineConnection(total_count=total, edges=edges, page_info=info_, hidden_blocks=sorted(hidden))
