"""Root fields of case notes: ``note``, ``companyNotes``, ``noteVersions``; ``createNote``, ``editNote``, ``deleteNote``."""

from __future__ import annotations

import re
from typing import Any

import strawberry

from graph_api.audit.model import company_target
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import in_zone
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field, mutation
from graph_api.follow.attempts import attempt
from graph_api.follow.basis import may_write_about
from graph_api.follow.service import CURSOR, encode_offset
from graph_api.note import access, mutations, service
from graph_api.note.types import DeletedNote, Note, NoteConnection, NoteEdge, NoteVersion, NoteVisibility, versions_of
from graph_api.pagination import PageInfo, page_size

MAX_BODY = 20_000
"""Longest note body, in characters."""
MAX_MENTIONS = 20
"""Most agencies one note may mention."""
_AGENCY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MAX_ID = 64


def check_body(body: str) -> str:
    """The body when it is not blank and at most ``MAX_BODY`` characters.

    Raises:
        ApiError: ``BAD_USER_INPUT`` with ``argument: "body"``.
    """
    if not body.strip():
        raise bad_input("body is empty", argument="body")
    if len(body) > MAX_BODY:
        raise bad_input(f"body is longer than {MAX_BODY} characters", argument="body", max=MAX_BODY)
    return body


def check_mentions(mentions: list[str] | None, visibility: NoteVisibility) -> tuple[str, ...]:
    """Distinct agency codes; NAMED needs at least one (the agencies it is shared with).

    Raises:
        ApiError: ``BAD_USER_INPUT`` with ``argument: "mentions"``.
    """
    codes = tuple(dict.fromkeys(m.strip() for m in mentions or ()))
    if len(codes) > MAX_MENTIONS:
        raise bad_input(f"at most {MAX_MENTIONS} mentions", argument="mentions", max=MAX_MENTIONS)
    if any(not _AGENCY.match(c) for c in codes):
        raise bad_input("a mention is an agency code", argument="mentions")
    if visibility is NoteVisibility.NAMED and not codes:
        raise bad_input("a NAMED note mentions the agencies it is shared with", argument="mentions")
    return codes


def check_id(value: str, argument: str) -> str:
    """A note id of a sane length (an unknown one is refused later, like a forbidden one)."""
    if not value or len(value) > _MAX_ID:
        raise bad_input("invalid note id", argument=argument)
    return value


@strawberry.type
class NoteQuery:
    @field(description="A note by id; FORBIDDEN alike for an unknown, deleted or unreadable one.")
    async def note(self, info: ApiInfo, id: strawberry.ID) -> Note:
        ctx = info.context
        return Note.from_row(await access.readable_note(ctx, check_id(id, "id")), ctx.me.sub)

    @field(description="Every version of a note, first to last (FORBIDDEN as for `note`).")
    async def note_versions(self, info: ApiInfo, id: strawberry.ID) -> list[NoteVersion]:
        ctx = info.context
        note = await access.readable_note(ctx, check_id(id, "id"))
        return versions_of(await service.versions(ctx.store, note["id"]))

    @field(
        description=(
            "The top-level notes about a company that the caller may read, newest first, paginated "
            "(replies under `replies`). Empty for a company without readable notes or unknown."
        )
    )
    async def company_notes(
        self, info: ApiInfo, siren: str, first: int | None = None, after: str | None = None
    ) -> NoteConnection:
        ctx = info.context
        s = check_siren(siren)
        limit = page_size(first, ctx.settings.limits)
        skip = CURSOR.skip_after(after)
        visible = await access.readable(ctx, await service.company_notes(ctx.store, s))
        page = visible[skip : skip + limit]
        edges = [
            NoteEdge(cursor=encode_offset(skip + i), node=Note.from_row(r, ctx.me.sub)) for i, r in enumerate(page)
        ]
        more = skip + limit < len(visible)
        return NoteConnection(
            total_count=len(visible),
            edges=edges,
            page_info=PageInfo(end_cursor=edges[-1].cursor if edges else None, has_next_page=more),
        )


@strawberry.type
class NoteMutation:
    @mutation(
        description=(
            "Writes a case note about a company (or a reply: `replyTo`, to a note the caller may read, about "
            "the same company). A top-level note needs a working basis on the company (in zone and on a "
            "detection list, a follow or an open intervention of the agency): otherwise, or for an unknown "
            "company, FORBIDDEN. `mentions`: agency codes; a NAMED note is readable by them. Body at most "
            "20,000 characters. Audited; writes a note_created event (never with the body)."
        )
    )
    async def create_note(
        self,
        info: ApiInfo,
        siren: str,
        body: str,
        visibility: NoteVisibility = NoteVisibility.AGENCY,
        mentions: list[str] | None = None,
        reply_to: strawberry.ID | None = None,
    ) -> Note:
        ctx = info.context
        s = check_siren(siren)
        text = check_body(body)
        codes = check_mentions(mentions, visibility)
        parent = check_id(reply_to, "replyTo") if reply_to is not None else None
        facts = await facts_loader(ctx).load(s)
        zone = in_zone(ctx.me, facts)

        async def run() -> dict[str, Any]:
            if parent is not None:
                replied = await access.readable_note(ctx, parent)
                if replied["siren"] != s:
                    raise bad_input("a reply is about the company of the note it answers", argument="replyTo")
            elif not may_write_about(ctx.me, facts):
                raise forbidden()
            new = mutations.NewNote(s, text, visibility.value, codes, parent)
            return await mutations.create(ctx, new, in_zone=zone)

        note = await attempt(ctx, "mutation:createNote", company_target(s), run, in_zone=zone)
        return Note.from_row(note, ctx.me.sub)

    @mutation(
        description=(
            "Edits the caller's own note: a new version, every version kept (`versions`). `expectedVersion` "
            "is the version the edit is based on: when the note has moved on, VERSION_CONFLICT "
            "(`extensions.currentVersion`) and nothing is written. Audited; writes a note_edited event."
        )
    )
    async def edit_note(self, info: ApiInfo, id: strawberry.ID, body: str, expected_version: int) -> Note:
        ctx = info.context
        note_id = check_id(id, "id")
        text = check_body(body)
        if expected_version < 1:
            raise bad_input("expectedVersion starts at 1", argument="expectedVersion")
        note = await attempt(
            ctx,
            "mutation:editNote",
            mutations.note_target(note_id),
            lambda: mutations.edit(ctx, note_id, text, expected_version),
        )
        return Note.from_row(note, ctx.me.sub)

    @mutation(
        description=(
            "Soft-deletes the caller's own note: readable by nobody through the API from then on, its versions "
            "kept for the audit. Audited; writes a note_deleted event."
        )
    )
    async def delete_note(self, info: ApiInfo, id: strawberry.ID) -> DeletedNote:
        ctx = info.context
        note_id = check_id(id, "id")
        target = mutations.note_target(note_id)
        note = await attempt(ctx, "mutation:deleteNote", target, lambda: mutations.delete(ctx, note_id))
        return DeletedNote(id=strawberry.ID(note["id"]), deleted_at=note.get("deleted_at"))
