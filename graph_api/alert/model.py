"""Handling statuses of an alert, their transitions, and who may handle an alert."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import strawberry

from graph_api.auth.principal import Principal
from graph_api.doctrine.blocks import DETECTION_ROLE


@strawberry.enum(description="What an agency did with a detection.")
class HandlingStatus(Enum):
    ACKNOWLEDGED = "acknowledged"
    DISMISSED = "dismissed"
    CONVERTED = "converted"


HANDLING_TRANSITIONS: dict[HandlingStatus | None, frozenset[HandlingStatus]] = {
    None: frozenset(HandlingStatus),
    HandlingStatus.ACKNOWLEDGED: frozenset({HandlingStatus.DISMISSED, HandlingStatus.CONVERTED}),
    HandlingStatus.DISMISSED: frozenset({HandlingStatus.ACKNOWLEDGED, HandlingStatus.CONVERTED}),
    HandlingStatus.CONVERTED: frozenset(),
}
"""Per agency and alert: anything from unhandled; an acknowledged alert may still be dismissed or
converted, a dismissed one reconsidered; a converted one is done (its intervention carries on)."""

MAX_REASON = 1000
"""Characters of a dismissal reason."""
MAX_COMMENT = 2000
"""Characters of a feedback comment."""


@dataclass(frozen=True)
class AlertFacts:
    """What the rules need about one alert.

    Attributes:
        id: the alert (``<siren>:<period>``).
        siren: its company.
        departement: the département of the company's head office.
        listed: it is on a published detection list.
    """

    id: str
    siren: str
    departement: str | None
    listed: bool


def can_handle(principal: Principal, alert: AlertFacts | None) -> bool:
    """Whether ``principal`` may handle the alert or give feedback on it.

    The alert must be on a published list, the agent must hold the ``detection``
    role (the one that reads the lists) and its zones must hold the company's
    head office: the agents the detection was published to. Unknown: refused.
    """
    if alert is None or not alert.listed:
        return False
    return principal.has_role(DETECTION_ROLE) and principal.covers(alert.departement)


def can_move(current: HandlingStatus | None, target: HandlingStatus) -> bool:
    """True when an agency's handling may go from ``current`` to ``target``."""
    return target in HANDLING_TRANSITIONS[current]
