"""Audit entries of detection-list reads and exports, allowed or refused.

A list reveals which companies are on alert, so each read and each export is
recorded, once per request, with the region and month as target; the data
blocks shown with it are audited company by company by the doctrine's guard.
"""

from __future__ import annotations

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome
from graph_api.context import RequestContext
from graph_api.detection import scope as list_scope
from graph_api.errors import ApiError, ErrorCode

READ_ACTION = "read:detection_list"
EXPORT_ACTION = "export:detection_list"


def target(region: str, period: str | None) -> str:
    """The audit target of a list: ``detection:<region>:<period or latest>``."""
    return f"detection:{region.strip().upper()}:{period or 'latest'}"


async def record(ctx: RequestContext, action: str, tgt: str, allowed: bool) -> None:
    """Appends one entry for a list read or export (before any item leaves)."""
    entry = AuditEntry.new(
        ctx.me,
        ctx.request_id,
        action,
        tgt,
        in_zone=allowed,
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
    )
    await audit.record(ctx.store, [entry])


async def checked(
    ctx: RequestContext, action: str, region: str, period: str | None, filters: list_scope.ListFilters
) -> list_scope.ListScope:
    """The request's scope; a refusal is audited before it is raised.

    Raises:
        ApiError: as ``scope.check`` (FORBIDDEN refusals are recorded first).
    """
    try:
        return list_scope.check(ctx.me, region, period, filters)
    except ApiError as error:
        if error.code is ErrorCode.FORBIDDEN:
            await record(ctx, action, target(region, period), allowed=False)
        raise
