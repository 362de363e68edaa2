"""GraphQL types of alert handling and detection feedback."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_api.alert.model import HandlingStatus
from graph_api.alert.service import AlertView, Feedback, Handling
from graph_api.intervention.types import Intervention


@strawberry.type(description="What the caller's agency did with a detection.")
class AlertHandling:
    alert_id: str
    agency: str
    status: HandlingStatus
    reason: str | None = strawberry.field(description="Why it was dismissed.")
    at: datetime | None
    by: str | None = strawberry.field(description="The agent who handled it last.")
    intervention_id: str | None = strawberry.field(description="The intervention a conversion opened.")
    intervention: Intervention | None = strawberry.field(description="That intervention, as just opened.")

    @classmethod
    def of(cls, alert_id: str, agency: str, h: Handling, intervention: Intervention | None = None) -> AlertHandling:
        """The GraphQL view of a stored handling."""
        return cls(
            alert_id=alert_id,
            agency=agency,
            status=h.status,
            reason=h.reason,
            at=h.at,
            by=h.by,
            intervention_id=h.intervention_id,
            intervention=intervention,
        )


@strawberry.type(description='One agent\'s answer to "was this detection useful?".')
class DetectionFeedback:
    alert_id: str
    agency: str
    useful: bool
    comment: str | None
    at: datetime | None
    revisions: int = strawberry.field(description="How many times the agent answered (the last answer counts).")

    @classmethod
    def of(cls, f: Feedback) -> DetectionFeedback:
        """The GraphQL view of stored feedback."""
        return cls(
            alert_id=f.alert_id, agency=f.agency, useful=f.useful, comment=f.comment, at=f.at, revisions=f.revisions
        )


@strawberry.type(description="A detection as an item to handle: the caller's agency's handling, its own feedback.")
class AlertItem:
    id: str
    siren: str
    period: str
    level: str | None
    region: str | None
    first_alert: bool
    handling: AlertHandling | None
    my_feedback: DetectionFeedback | None

    @classmethod
    def of(cls, v: AlertView, agency: str) -> AlertItem:
        """The GraphQL view of an alert for the caller."""
        return cls(
            id=v.facts.id,
            siren=v.facts.siren,
            period=v.period,
            level=v.level,
            region=v.region,
            first_alert=v.first_alert,
            handling=AlertHandling.of(v.facts.id, agency, v.handling) if v.handling else None,
            my_feedback=DetectionFeedback.of(v.feedback) if v.feedback else None,
        )


@strawberry.type(description="One row of the feedback export (agents pseudonymised).")
class FeedbackExportRow:
    alert_id: str
    siren: str
    period: str
    level: str | None
    region: str | None
    agency: str
    agent: str = strawberry.field(description="A stable pseudonym of the agent.")
    useful: bool
    comment: str | None
    answered_at: str | None
    revisions: int
    handling_status: str | None
