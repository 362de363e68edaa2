"""Root fields of alert handling (docs/interventions.md)."""

from __future__ import annotations

import strawberry
from neo4j import AsyncManagedTransaction

from graph_api.alert import export, service
from graph_api.alert.model import MAX_COMMENT, MAX_REASON, HandlingStatus, can_handle
from graph_api.alert.types import AlertHandling, AlertItem, DetectionFeedback, FeedbackExportRow
from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry
from graph_api.audit.service import audited_write
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.blocks import AUDITOR_ROLE
from graph_api.doctrine.guard import require_role
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field, mutation
from graph_api.intervention.model import InterventionKind, ParticipantRole
from graph_api.intervention.resolvers import check_participants, reread
from graph_api.intervention.types import Intervention, ParticipantInput

MAX_ID = 64
"""Characters of an alert id (``<siren>:<period>``)."""


async def _allowed(ctx: RequestContext, alert_id: str, argument: str = "id") -> service.AlertView:
    """The alert, when the caller may handle it; FORBIDDEN for unknown and refused ids alike."""
    if not alert_id or len(alert_id) > MAX_ID:
        raise bad_input(f"an alert id is 1 to {MAX_ID} characters", argument=argument)
    v = await service.view(ctx.store, ctx.me, alert_id)
    if v is None or not can_handle(ctx.me, v.facts):
        raise forbidden()
    return v


async def _handle(
    ctx: RequestContext,
    alert_id: str,
    action: str,
    target: HandlingStatus,
    reason: str | None = None,
    intervention: tuple[InterventionKind, list[tuple[str, ParticipantRole]]] | None = None,
) -> AlertHandling:
    v = await _allowed(ctx, alert_id)

    async def work(tx: AsyncManagedTransaction) -> str | None:
        return await service.handle(tx, ctx.me, v.facts, target, reason, intervention)

    opened = await audited_write(ctx, action, f"alert:{v.facts.id}", work, in_zone=True)
    after = await service.view(ctx.store, ctx.me, v.facts.id)
    assert after is not None and after.handling is not None  # just written
    item: Intervention | None = await reread(ctx, opened) if opened else None
    return AlertHandling.of(v.facts.id, ctx.me.agency, after.handling, item)


@strawberry.type
class AlertQuery:
    @field(
        description=(
            "A detection with the caller's agency's handling and the caller's feedback; for agents with the "
            "detection role whose zones hold the company. FORBIDDEN for unknown and refused ids alike."
        )
    )
    async def alert_item(self, info: ApiInfo, id: strawberry.ID) -> AlertItem:
        ctx = info.context
        return AlertItem.of(await _allowed(ctx, str(id)), ctx.me.agency)

    @field(description="The detection feedback as exported for the model team (auditor role; audited).")
    async def detection_feedback(self, info: ApiInfo, period: str | None = None) -> list[FeedbackExportRow]:
        ctx = info.context
        principal = require_role(ctx, AUDITOR_ROLE)
        await audit.record(
            ctx.store,
            [AuditEntry.new(principal, ctx.request_id, "read:detection_feedback", f"feedback:{period or 'all'}")],
        )
        rows = await ctx.store.read(export.FEEDBACK_ROWS, {"period": period})
        out = []
        for r in rows:
            s = export.shape(dict(r))
            out.append(
                FeedbackExportRow(
                    alert_id=s["alert_id"],
                    siren=s["siren"],
                    period=s["period"],
                    level=s["level"],
                    region=s["region"],
                    agency=s["agency"],
                    agent=s["agent"],
                    useful=bool(s["useful"]),
                    comment=s["comment"],
                    answered_at=s["answered_at"],
                    revisions=int(s["revisions"] or 1),
                    handling_status=s["handling_status"],
                )
            )
        return out


@strawberry.type
class AlertMutation:
    @mutation(description="The caller's agency acknowledges a detection. Audited.")
    async def acknowledge_alert(self, info: ApiInfo, id: strawberry.ID) -> AlertHandling:
        return await _handle(info.context, str(id), "mutation:acknowledgeAlert", HandlingStatus.ACKNOWLEDGED)

    @mutation(description="The caller's agency dismisses a detection, with a reason (required). Audited.")
    async def dismiss_alert(self, info: ApiInfo, id: strawberry.ID, reason: str) -> AlertHandling:
        text = reason.strip()
        if not text or len(text) > MAX_REASON:
            raise bad_input(f"the reason is 1 to {MAX_REASON} characters", argument="reason")
        return await _handle(info.context, str(id), "mutation:dismissAlert", HandlingStatus.DISMISSED, text)

    @mutation(
        description=(
            "Opens an intervention from a detection (the caller's agency as LEAD, linked to the alert) and "
            "marks the alert converted for the agency. Audited."
        )
    )
    async def convert_alert_to_intervention(
        self,
        info: ApiInfo,
        id: strawberry.ID,
        kind: InterventionKind,
        participants: list[ParticipantInput] | None = None,
    ) -> AlertHandling:
        ctx = info.context
        others = await check_participants(ctx, participants)
        return await _handle(
            ctx, str(id), "mutation:convertAlertToIntervention", HandlingStatus.CONVERTED, intervention=(kind, others)
        )

    @mutation(description='Records the caller\'s answer to "was this detection useful?" (replaces an earlier one).')
    async def record_detection_feedback(
        self, info: ApiInfo, alert_id: strawberry.ID, useful: bool, comment: str | None = None
    ) -> DetectionFeedback:
        ctx = info.context
        text = comment.strip() if comment is not None else None
        if text is not None and len(text) > MAX_COMMENT:
            raise bad_input(f"the comment is at most {MAX_COMMENT} characters", argument="comment")
        v = await _allowed(ctx, str(alert_id), "alertId")

        async def work(tx: AsyncManagedTransaction) -> service.Feedback:
            return await service.record_feedback(tx, ctx.me, v.facts, useful, text or None)

        fb = await audited_write(ctx, "mutation:recordDetectionFeedback", f"alert:{v.facts.id}", work, in_zone=True)
        return DetectionFeedback.of(fb)
