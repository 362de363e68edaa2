"""``auditLog``: the audit trail, for the auditor role only; no mutation exists."""

from __future__ import annotations

import strawberry

from graph_api.audit import service
from graph_api.audit.model import AuditEntry
from graph_api.audit.types import AuditEntryConnection, AuditEntryType, AuditFilterInput
from graph_api.context import ApiInfo
from graph_api.doctrine.blocks import AUDITOR_ROLE
from graph_api.doctrine.guard import require_role
from graph_api.fields import field
from graph_api.pagination import PageInfo, page_size


@strawberry.type
class AuditQuery:
    @field(description="The audit trail, newest first. Needs the `auditor` role; reading it is audited too.")
    async def audit_log(
        self,
        info: ApiInfo,
        filter: AuditFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AuditEntryConnection:
        ctx = info.context
        principal = require_role(ctx, AUDITOR_ROLE)
        size = page_size(first, ctx.settings.limits)
        f = filter or AuditFilterInput()
        flt = service.AuditFilter(
            sub=f.sub,
            agency=f.agency,
            action=f.action,
            target=f.target,
            outcome=f.outcome_model(),
            since=f.since,
            until=f.until,
        )
        # Watching the watchers: an auditor's query is itself on the trail.
        await service.record(ctx.store, [AuditEntry.new(principal, ctx.request_id, "read:audit", "audit:log")])
        page = await service.list_entries(ctx.store, flt, size, after)
        return AuditEntryConnection(
            nodes=[AuditEntryType.from_model(e) for e in page.entries],
            page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next),
            total_count=page.total,
        )
