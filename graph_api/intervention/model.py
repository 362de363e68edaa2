"""What an intervention is, independent of GraphQL and Neo4j: kinds, statuses, roles, transitions."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="What kind of support the agencies give the company.")
class InterventionKind(Enum):
    COMMISSAIRE = "commissaire"
    URSSAF_PAYMENT_PLAN = "urssaf_payment_plan"
    CCSF = "ccsf"
    SHORT_TIME_WORK = "short_time_work"
    CREDIT_MEDIATION = "credit_mediation"
    OTHER = "other"


@strawberry.enum(description="Where an intervention stands; CLOSED is terminal.")
class InterventionStatus(Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    UNDER_WATCH = "under_watch"
    CLOSED = "closed"


@strawberry.enum(description="An agency's part in an intervention.")
class ParticipantRole(Enum):
    LEAD = "lead"
    CONTRIBUTOR = "contributor"
    OBSERVER = "observer"


TRANSITIONS: dict[InterventionStatus, frozenset[InterventionStatus]] = {
    InterventionStatus.OPEN: frozenset({InterventionStatus.IN_PROGRESS, InterventionStatus.CLOSED}),
    InterventionStatus.IN_PROGRESS: frozenset({InterventionStatus.UNDER_WATCH, InterventionStatus.CLOSED}),
    InterventionStatus.UNDER_WATCH: frozenset({InterventionStatus.IN_PROGRESS, InterventionStatus.CLOSED}),
    InterventionStatus.CLOSED: frozenset(),
}
"""The allowed moves (docs/interventions.md). Staying put is not a move; nothing leaves CLOSED,
and nothing goes back to OPEN (work started once stays started)."""


def can_move(current: InterventionStatus, target: InterventionStatus) -> bool:
    """True when ``current -> target`` is in the matrix."""
    return target in TRANSITIONS[current]


def allowed_targets(current: InterventionStatus) -> list[InterventionStatus]:
    """The statuses reachable from ``current``, in workflow order."""
    return [s for s in InterventionStatus if s in TRANSITIONS[current]]


MAX_OUTCOME = 2000
"""Characters of a closing outcome."""
MAX_PARTICIPANTS = 20
"""Agencies named when opening (a guard against oversized inputs)."""
