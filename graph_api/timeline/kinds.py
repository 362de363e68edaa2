"""Which data block each timeline event kind belongs to (docs/access.md).

Public kinds (judgments, Sirene, group and ownership changes) are shown to every
agent; a kind tied to a data block only when the doctrine grants that block; any
other kind is hidden (default deny) until it is classified here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_api.auth.principal import Principal
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.rules import CompanyFacts, NoteFacts, NoteVisibility, can_read_note

PUBLIC_KINDS: frozenset[str] = frozenset(
    {
        "insolvency_judgment",
        "establishment_closed",
        "establishment_opened",
        "company_created",
        "company_closed",
        "group_change",
        "ownership_change",
    }
)
"""Kinds visible to every authenticated agent (BODACC, Sirene, links)."""

BLOCK_KINDS: dict[DataBlock, frozenset[str]] = {
    DataBlock.URSSAF: frozenset({"debt_appears", "debt_grows", "payment_plan", "ccsf", "headcount_drop"}),
    DataBlock.SHORT_TIME_WORK: frozenset({"short_time_work_requested", "short_time_work_used"}),
    DataBlock.SCORES: frozenset(
        {
            "score",
            "score_crossing",
            "score_threshold",
            "alert",
            "alert_listed",
            # issue 7: an agency's handling of a detection, and "was it useful?" (no free text in the payload)
            "alert_acknowledged",
            "alert_dismissed",
            "alert_converted",
            "detection_feedback",
        }
    ),
}
"""Kinds whose content comes from a data block (headcount comes from URSSAF declarations)."""


def block_of(kind: str) -> DataBlock | None:
    """The data block of ``kind``; None for a public or unclassified kind."""
    for block, kinds in BLOCK_KINDS.items():
        if kind in kinds:
            return block
    return None


def visible_kinds(granted: set[DataBlock]) -> list[str]:
    """Every kind an agent granted ``granted`` may see."""
    out = set(PUBLIC_KINDS)
    for block in granted:
        out |= BLOCK_KINDS[block]
    return sorted(out)


# --- Collaboration events (issue 7: follows and case notes) -------------------
# Neither public nor tied to a data block, so the timeline query leaves them out
# (default deny); a reader that shows them (live updates) decides per event with
# ``collaboration_event_readable``. Their payload never holds free text: a note's
# body or a follow's comment is read from the note or follow, under its own rule.

FOLLOW_KINDS: frozenset[str] = frozenset({"follow_started", "follow_ended"})
"""An agency started or ended following a company: shown like an ``INVOLVED`` note
written by that agency (the agencies involved with the company, and itself)."""

NOTE_KINDS: frozenset[str] = frozenset({"note_created", "note_edited", "note_deleted"})
"""A case note was written (or a reply), edited or deleted: shown only to who may
read the note (``can_read_note`` on the visibility, author agency and mentions in
the payload, which never carries the body)."""

INTERVENTION_KINDS: frozenset[str] = frozenset(
    {
        "intervention_opened",
        "intervention_status_changed",
        "intervention_closed",
        "intervention_participant_joined",
        "intervention_participant_left",
    }
)
"""An intervention changed: shown like an ``INVOLVED`` note written by the acting
agency (``by`` in the payload): the agencies involved with the company, and itself."""


def collaboration_event_readable(
    principal: Principal, kind: str, payload: Mapping[str, Any], company: CompanyFacts | None
) -> bool:
    """Whether ``principal`` may see a follow or note event (False for any other kind).

    Args:
        principal: the reader.
        kind: the event kind.
        payload: the event's decoded payload (``agency`` for follows; ``visibility``,
            ``author_agency``, ``mentions`` for notes).
        company: the company's facts for the reader's agency (involved agencies).
    """
    if kind in FOLLOW_KINDS:
        facts = NoteFacts(NoteVisibility.INVOLVED, str(payload.get("agency") or ""))
    elif kind in INTERVENTION_KINDS:
        facts = NoteFacts(NoteVisibility.INVOLVED, str(payload.get("by") or ""))
    elif kind in NOTE_KINDS:
        try:
            visibility = NoteVisibility(str(payload.get("visibility")))
        except ValueError:
            return False
        mentions = frozenset(str(m) for m in payload.get("mentions") or ())
        facts = NoteFacts(visibility, str(payload.get("author_agency") or ""), mentions)
    else:
        return False
    return bool(facts.author_agency) and can_read_note(principal, facts, company)


# --- Pins (issue 6: timeline(pinnedFirst)) ----------------------------------------

PIN_KINDS: frozenset[str] = frozenset({"event_pinned", "event_unpinned"})
"""An agency pinned or unpinned an event: private to that agency (``agency`` on the
event), so neither public nor tied to a block, and left out of every stream (default
deny); the pins themselves are ``TimelinePin`` nodes (``graph_api.timeline.pins``)."""
