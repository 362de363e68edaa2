"""createNote, editNote and deleteNote: each change, its timeline event and its audit entry in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.audit.service import audited_write
from graph_api.context import RequestContext
from graph_api.errors import ApiError, ErrorCode, bad_input, forbidden
from graph_api.follow.events import write_event
from graph_api.note import service


@dataclass(frozen=True)
class NewNote:
    """A checked ``createNote`` request."""

    siren: str
    body: str
    visibility: str
    mentions: tuple[str, ...]
    reply_to: str | None


def _payload(note: dict[str, Any], **more: Any) -> dict[str, Any]:
    """What a note event may say: ids and sharing, never the body."""
    return {
        "note_id": note["id"],
        "visibility": note["visibility"],
        "author_agency": note["author_agency"],
        "mentions": list(note.get("mentions") or ()),
        "reply_to": note.get("reply_to"),
        **more,
    }


def note_target(note_id: str) -> str:
    """The audit target of a note."""
    return f"note:{note_id}"


async def create(ctx: RequestContext, new: NewNote, *, in_zone: bool) -> dict[str, Any]:
    """Writes a note (version 1), its mentions and reply link, and its ``note_created`` event; audited.

    Raises:
        ApiError: ``BAD_USER_INPUT`` (argument ``mentions``) naming unknown agencies;
            ``FORBIDDEN`` when the company or the replied-to note vanished. Nothing
            is written then.
    """
    me = ctx.me
    note_id = str(uuid.uuid4())
    at = datetime.now(UTC)
    params = {
        "id": note_id,
        "siren": new.siren,
        "body": new.body,
        "visibility": new.visibility,
        "mentions": list(new.mentions),
        "reply_to": new.reply_to,
        "sub": me.sub,
        "name": me.name,
        "agency": me.agency,
        "at": at,
    }

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        unknown = await service.unknown_agencies(tx, new.mentions)
        if unknown:
            raise bad_input(f"unknown agencies: {', '.join(unknown)}", argument="mentions", unknown=unknown)
        if new.reply_to is not None:
            parent = await service.lock(tx, new.reply_to)
            if parent is None or parent.get("deleted"):
                raise forbidden()
        note = await service.create(tx, params)
        if note is None:
            raise forbidden()
        kind_text = "Reply" if new.reply_to else "Note"
        await write_event(tx, new.siren, "note_created", at, f"{kind_text} by {me.agency}", _payload(note))
        return note

    return await audited_write(ctx, "mutation:createNote", note_target(note_id), work, in_zone=in_zone)


async def _own_note(tx: AsyncManagedTransaction, ctx: RequestContext, note_id: str) -> dict[str, Any]:
    """The caller's own live note, locked; FORBIDDEN for any other (unknown, deleted, someone else's)."""
    note = await service.lock(tx, note_id)
    if note is None or note.get("deleted") or note.get("author_sub") != ctx.me.sub:
        raise forbidden()
    return note


async def edit(ctx: RequestContext, note_id: str, body: str, expected: int) -> dict[str, Any]:
    """Writes version ``expected + 1`` of the caller's note, with its ``note_edited`` event; audited.

    The note is locked before its version is compared, so of two edits made with
    the same ``expected`` exactly one is written; the other gets
    ``VERSION_CONFLICT`` and writes nothing (no version, no event, no audit entry).

    Raises:
        ApiError: ``FORBIDDEN`` (not the author's live note, or unknown);
            ``VERSION_CONFLICT`` with ``currentVersion`` when ``expected`` is stale.
    """
    at = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        current = await _own_note(tx, ctx, note_id)
        if current["version"] != expected:
            raise _conflict(int(current["version"]))
        note = await service.edit(tx, {"id": note_id, "body": body, "expected": expected, "at": at, "sub": ctx.me.sub})
        if note is None:  # cannot happen under the lock; refuse rather than guess
            raise _conflict(int(current["version"]))
        payload = _payload(note, version=note["version"])
        await write_event(tx, note["siren"], "note_edited", at, f"Note edited by {ctx.me.agency}", payload)
        return note

    return await audited_write(ctx, "mutation:editNote", note_target(note_id), work)


def _conflict(current: int) -> ApiError:
    return ApiError(
        ErrorCode.VERSION_CONFLICT,
        f"the note was edited meanwhile: it is at version {current}; reload it and edit again",
        {"argument": "expectedVersion", "currentVersion": current},
    )


async def delete(ctx: RequestContext, note_id: str) -> dict[str, Any]:
    """Soft-deletes the caller's note (its versions stay, for the audit), with a ``note_deleted`` event; audited.

    Raises:
        ApiError: ``FORBIDDEN`` (not the author's live note, or unknown).
    """
    at = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        await _own_note(tx, ctx, note_id)
        note = await service.soft_delete(tx, {"id": note_id, "at": at, "sub": ctx.me.sub})
        if note is None:
            raise forbidden()
        await write_event(tx, note["siren"], "note_deleted", at, f"Note deleted by {ctx.me.agency}", _payload(note))
        return note

    return await audited_write(ctx, "mutation:deleteNote", note_target(note_id), work)
