"""GraphQL types of interventions."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_api.intervention.model import InterventionKind, InterventionStatus, ParticipantRole, allowed_targets
from graph_api.intervention.service import InterventionRecord


@strawberry.input(description="An agency to take part in an intervention, and its role.")
class ParticipantInput:
    agency: str = strawberry.field(description="The agency's code (e.g. `DREETS-BFC`).")
    role: ParticipantRole = ParticipantRole.CONTRIBUTOR


@strawberry.type(description="One stint of an agency in an intervention; leaving and joining again makes two.")
class Participation:
    agency: str
    role: ParticipantRole
    joined_at: datetime
    left_at: datetime | None
    active: bool = strawberry.field(description="The agency takes part now (no `leftAt`).")


@strawberry.type(description="Several agencies supporting one company (accompagnement).")
class Intervention:
    id: strawberry.ID
    siren: str
    kind: InterventionKind
    status: InterventionStatus
    opened_at: datetime
    opened_by: str | None = strawberry.field(description="The agency that opened it (its first lead).")
    closed_at: datetime | None
    outcome: str | None = strawberry.field(description="What came of it; set when closed.")
    alert_id: str | None = strawberry.field(description="The detection it was opened from, if any.")
    participants: list[Participation] = strawberry.field(description="Every stint, oldest first (the history).")
    allowed_transitions: list[InterventionStatus] = strawberry.field(
        description="Statuses reachable from the current one (CLOSED through `closeIntervention`)."
    )

    @classmethod
    def of(cls, r: InterventionRecord) -> Intervention:
        """The GraphQL view of a stored intervention."""
        return cls(
            id=strawberry.ID(r.id),
            siren=r.siren,
            kind=r.kind,
            status=r.status,
            opened_at=r.opened_at,
            opened_by=r.opened_by,
            closed_at=r.closed_at,
            outcome=r.outcome,
            alert_id=r.alert_id,
            participants=[
                Participation(
                    agency=p.agency, role=p.role, joined_at=p.joined_at, left_at=p.left_at, active=p.left_at is None
                )
                for p in r.participants
            ],
            allowed_transitions=allowed_targets(r.status),
        )
