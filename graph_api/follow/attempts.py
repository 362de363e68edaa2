"""Refused mutation attempts are audited too (outcome ``denied``).

``audited_write`` records a mutation that happened, in its own transaction. A
refusal (no basis on the company, someone else's note, no write scope) rolls
that transaction back, so the attempt is recorded here, in a transaction of its
own: the trail shows who tried to follow or touch what without the right to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome
from graph_api.context import RequestContext
from graph_api.errors import ApiError, ErrorCode

T = TypeVar("T")


async def attempt(
    ctx: RequestContext, action: str, target: str, run: Callable[[], Awaitable[T]], *, in_zone: bool = False
) -> T:
    """Runs a mutation; when it is refused with ``FORBIDDEN``, appends a denied audit entry and re-raises.

    Args:
        ctx: the request context.
        action: ``mutation:<name>``.
        target: ``<kind>:<id>``.
        run: the mutation (its own checks, then ``audited_write``).
        in_zone: the target company is in the caller's zones.
    """
    try:
        return await run()
    except ApiError as exc:
        if exc.code is ErrorCode.FORBIDDEN:
            entry = AuditEntry.new(ctx.me, ctx.request_id, action, target, in_zone=in_zone, outcome=Outcome.DENIED)
            await audit.record(ctx.store, [entry])
            exc.audited = True
        raise
