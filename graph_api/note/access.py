"""The doctrine applied to notes: every list and lookup filtered with ``can_read_note``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_api.context import RequestContext
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import NoteFacts, NoteVisibility, can_read_note
from graph_api.errors import forbidden
from graph_api.note import service


def note_facts(note: dict[str, Any]) -> NoteFacts:
    """The doctrine's view of a stored note (an unreadable visibility reads as the narrowest)."""
    try:
        visibility = NoteVisibility(str(note.get("visibility")))
    except ValueError:
        visibility = NoteVisibility.AGENCY
    return NoteFacts(
        visibility=visibility,
        author_agency=str(note.get("author_agency") or ""),
        named_agencies=frozenset(note.get("mentions") or ()),
        deleted=bool(note.get("deleted")),
    )


async def readable(ctx: RequestContext, notes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The notes the caller may read, in the given order."""
    if not notes:
        return []
    facts = await facts_loader(ctx).load_many([n["siren"] for n in notes])
    return [n for n, f in zip(notes, facts, strict=True) if can_read_note(ctx.me, note_facts(n), f)]


async def readable_note(ctx: RequestContext, note_id: str) -> dict[str, Any]:
    """The note ``note_id`` when the caller may read it.

    Raises:
        ApiError: ``FORBIDDEN``, alike for an unknown, deleted or refused note.
    """
    found = (await service.notes_by_id(ctx.store, [note_id])).get(note_id)
    if found is None or not await readable(ctx, [found]):
        raise forbidden()
    return found
