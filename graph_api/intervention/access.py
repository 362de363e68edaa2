"""Who may open, read and change an intervention: pure rules, facts in, decision out.

Default deny, in the spirit of docs/access.md: an intervention is shared work on
one company, so it is visible to the agencies doing that work and to those
already entitled to follow the company; it is changed only by the agencies
taking part in it now.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.auth.principal import Principal
from graph_api.doctrine.rules import CompanyFacts, in_zone
from graph_api.intervention.model import InterventionStatus


@dataclass(frozen=True)
class InterventionFacts:
    """What the rules need about one intervention.

    Attributes:
        id: the intervention.
        siren: the company it is about.
        status: its status.
        active_agencies: agencies taking part now (a participation without ``left_at``).
    """

    id: str
    siren: str
    status: InterventionStatus
    active_agencies: frozenset[str]


def can_open(principal: Principal, company: CompanyFacts | None) -> bool:
    """Whether ``principal`` may open an intervention on the company.

    Allowed when the company exists and is in the caller's zones, or the caller's
    agency is already involved with it (follows it or takes part in an open
    intervention on it). An unknown company is refused like a forbidden one.
    """
    if company is None or not company.exists:
        return False
    return in_zone(principal, company) or principal.agency in company.involved_agencies


def can_read(principal: Principal, facts: InterventionFacts, company: CompanyFacts | None) -> bool:
    """Whether ``principal`` may read the intervention.

    Allowed for an agency taking part in it now (a closed intervention stays
    readable by those who closed it), for an agency involved with the company
    (following it, or in another open intervention on it), and for an agent whose
    zones hold the company when it has been on a detection list. An agency that
    left and has no other tie to the company no longer sees it.
    """
    if principal.agency in facts.active_agencies:
        return True
    if company is None or not company.exists:
        return False
    if principal.agency in company.involved_agencies:
        return True
    return in_zone(principal, company) and company.listed


def can_change(principal: Principal, facts: InterventionFacts) -> bool:
    """Whether ``principal`` may change the intervention: its agency takes part in it now."""
    return principal.agency in facts.active_agencies


def is_closed(facts: InterventionFacts) -> bool:
    """True when the intervention is closed (terminal: nothing changes it any more)."""
    return facts.status is InterventionStatus.CLOSED
