"""The access doctrine as pure functions: facts in, decision out, nothing else.

Keeping the rules free of I/O makes them exhaustively testable and lets every
domain (company page, timeline, notes, alerts, exports, subscriptions) ask the
same question the same way. The facts come from ``graph_api.doctrine.facts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from graph_api.auth.principal import Principal
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock


class Basis(StrEnum):
    """Why a data block was shown (recorded in the audit trail)."""

    ZONE_DETECTION = "zone_detection"
    FOLLOW = "follow"
    INTERVENTION = "intervention"


@dataclass(frozen=True)
class CompanyFacts:
    """What the doctrine needs to know about one company, for one agency.

    Attributes:
        siren: the company.
        exists: the company is in the graph.
        departement: the département of its head office.
        listed: it has been on a published detection list (an ``Alert`` with
            ``listed = true``).
        followed: the asking agency follows it (a ``FOLLOWS`` without ``until``).
        intervening: the asking agency takes part (no ``left_at``) in an
            intervention on it that is not closed.
        involved_agencies: every agency following it or taking part in an open
            intervention on it (for the "involved" note visibility).
    """

    siren: str
    exists: bool
    departement: str | None = None
    listed: bool = False
    followed: bool = False
    intervening: bool = False
    involved_agencies: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    """The answer for one (principal, block, company).

    Attributes:
        allowed: the block may be shown.
        in_zone: the company is in the principal's zones (audited either way).
        basis: why it is allowed; None when refused.
    """

    allowed: bool
    in_zone: bool
    basis: Basis | None = None


def in_zone(principal: Principal, facts: CompanyFacts | None) -> bool:
    """True when the company's head office is in one of the principal's zones."""
    return facts is not None and facts.exists and principal.covers(facts.departement)


def decide_block(principal: Principal, block: DataBlock, facts: CompanyFacts | None) -> Decision:
    """Whether ``principal`` may see ``block`` of the company described by ``facts``.

    Default deny: the block's role is required, AND one of: the company is in the
    principal's zones and has been on a detection list; the principal's agency
    follows it; the agency takes part in an open intervention on it. An unknown
    company is refused exactly like a forbidden one.

    Args:
        principal: the caller.
        block: the data block asked for.
        facts: the company's facts for the caller's agency; None when unknown.
    """
    zone = in_zone(principal, facts)
    if facts is None or not facts.exists or not principal.has_role(BLOCK_ROLE[block]):
        return Decision(False, zone)
    if zone and facts.listed:
        return Decision(True, zone, Basis.ZONE_DETECTION)
    if facts.followed:
        return Decision(True, zone, Basis.FOLLOW)
    if facts.intervening:
        return Decision(True, zone, Basis.INTERVENTION)
    return Decision(False, zone)


def visible_blocks(principal: Principal, facts: CompanyFacts | None) -> frozenset[DataBlock]:
    """Every data block ``principal`` may see for this company (for lists and exports)."""
    return frozenset(b for b in DataBlock if decide_block(principal, b, facts).allowed)


class NoteVisibility(StrEnum):
    """Who may read a case note."""

    AGENCY = "AGENCY"
    """The author's agency only."""
    NAMED = "NAMED"
    """The author's agency and the agencies named on the note."""
    INVOLVED = "INVOLVED"
    """Every agency involved with the company (following it or in an open
    intervention on it), and the author's agency."""


@dataclass(frozen=True)
class NoteFacts:
    """What the doctrine needs to know about one case note.

    Attributes:
        visibility: the note's visibility.
        author_agency: the code of the author's agency.
        named_agencies: for ``NAMED``, the agencies it is shared with.
        deleted: a soft-deleted note is visible to nobody but the audit trail.
    """

    visibility: NoteVisibility
    author_agency: str
    named_agencies: frozenset[str] = frozenset()
    deleted: bool = False


def can_read_note(principal: Principal, note: NoteFacts, company: CompanyFacts | None) -> bool:
    """Whether ``principal`` may read a case note about a company.

    Args:
        principal: the caller.
        note: the note's visibility facts.
        company: the facts of the company the note is about (its involved
            agencies); None when unknown, which leaves only the author's agency.
    """
    if note.deleted:
        return False
    if principal.agency == note.author_agency:
        return True
    if note.visibility is NoteVisibility.NAMED:
        return principal.agency in note.named_agencies
    if note.visibility is NoteVisibility.INVOLVED:
        return company is not None and principal.agency in company.involved_agencies
    return False


def readable_notes(principal: Principal, notes: Iterable[tuple[NoteFacts, CompanyFacts | None]]) -> list[bool]:
    """``can_read_note`` over many notes, in order (for lists and timelines)."""
    return [can_read_note(principal, n, c) for n, c in notes]
