"""``followCompany``, ``unfollowCompany`` and ``myAgencyFollows``."""

from __future__ import annotations

from typing import Any

import strawberry

from graph_api.audit.model import company_target
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import in_zone
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field, mutation
from graph_api.follow import service
from graph_api.follow.attempts import attempt
from graph_api.follow.basis import may_follow
from graph_api.follow.types import Follow, FollowConnection, FollowEdge, FollowOutcome, FollowReason, FollowStatus
from graph_api.pagination import PageInfo, page_size

MAX_COMMENT = 2_000
"""Longest comment on a follow, in characters."""


def check_comment(comment: str | None) -> str | None:
    """The comment, stripped (None when blank).

    Raises:
        ApiError: ``BAD_USER_INPUT`` (argument ``comment``) when longer than ``MAX_COMMENT``.
    """
    if comment is None or not comment.strip():
        return None
    if len(comment) > MAX_COMMENT:
        raise bad_input(f"comment is longer than {MAX_COMMENT} characters", argument="comment", max=MAX_COMMENT)
    return comment.strip()


@strawberry.type
class FollowQuery:
    @field(description="The follows of the caller's agency (current, ended or both), newest first, paginated.")
    async def my_agency_follows(
        self,
        info: ApiInfo,
        status: FollowStatus = FollowStatus.ALL,
        first: int | None = None,
        after: str | None = None,
    ) -> FollowConnection:
        ctx = info.context
        limit = page_size(first, ctx.settings.limits)
        skip = service.CURSOR.skip_after(after)
        total, rows = await service.page(ctx.store, ctx.me.agency, status.value, skip, limit)
        edges = [
            FollowEdge(cursor=service.encode_offset(skip + i), node=Follow.from_row(r))
            for i, r in enumerate(rows[:limit])
        ]
        more = len(rows) > limit
        return FollowConnection(
            total_count=total,
            edges=edges,
            page_info=PageInfo(end_cursor=edges[-1].cursor if edges else None, has_next_page=more),
        )


@strawberry.type
class FollowMutation:
    @mutation(
        description=(
            "The caller's agency starts following a company, which grants it the company's data blocks. "
            "Allowed only on a company the caller may already see (in its zones and on a detection list, "
            "or an open intervention of its agency); otherwise, or for an unknown company, FORBIDDEN. "
            "CONFLICT when already followed. Audited; writes a follow_started timeline event."
        )
    )
    async def follow_company(
        self, info: ApiInfo, siren: str, reason: FollowReason, comment: str | None = None
    ) -> Follow:
        ctx = info.context
        s = check_siren(siren)
        change = service.Change(s, reason.value, check_comment(comment))
        facts = await facts_loader(ctx).load(s)
        zone = in_zone(ctx.me, facts)

        async def run() -> dict[str, Any]:
            if not may_follow(ctx.me, facts):
                raise forbidden()
            return await service.start(ctx, change, in_zone=zone)

        return Follow.from_row(await attempt(ctx, "mutation:followCompany", company_target(s), run, in_zone=zone))

    @mutation(
        description=(
            "Ends the caller's agency's current follow of a company, with an outcome. FORBIDDEN when the "
            "agency does not follow it (or the company is unknown). Audited; writes a follow_ended event."
        )
    )
    async def unfollow_company(
        self, info: ApiInfo, siren: str, outcome: FollowOutcome, comment: str | None = None
    ) -> Follow:
        ctx = info.context
        s = check_siren(siren)
        change = service.Change(s, outcome.value, check_comment(comment))
        zone = in_zone(ctx.me, await facts_loader(ctx).load(s))

        async def run() -> dict[str, Any]:
            return await service.end(ctx, change, in_zone=zone)

        return Follow.from_row(await attempt(ctx, "mutation:unfollowCompany", company_target(s), run, in_zone=zone))
