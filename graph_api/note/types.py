"""GraphQL types of case notes."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from graph_api.context import ApiInfo
from graph_api.fields import field
from graph_api.follow.types import as_datetime
from graph_api.note import access, service
from graph_api.pagination import PageInfo


@strawberry.enum(description="Who may read a case note (docs/access.md).")
class NoteVisibility(Enum):
    AGENCY = "AGENCY"
    NAMED = "NAMED"
    INVOLVED = "INVOLVED"


@strawberry.type(description="One stored version of a note (the first is the creation).")
class NoteVersion:
    version: int
    body: str
    edited_at: datetime | None
    by: str | None = strawberry.field(description="The agent who wrote this version.")


def versions_of(rows: list[dict[str, Any]]) -> list[NoteVersion]:
    """The GraphQL versions from ``service.versions`` rows."""
    return [
        NoteVersion(version=int(r["version"]), body=r["body"], edited_at=as_datetime(r["edited_at"]), by=r["by"])
        for r in rows
    ]


@strawberry.type(description="A case note about a company, readable under its visibility.")
class Note:
    id: strawberry.ID
    siren: str
    body: str
    visibility: NoteVisibility
    version: int = strawberry.field(description="Pass as `expectedVersion` to `editNote`.")
    created_at: datetime | None
    updated_at: datetime | None
    author_name: str | None
    author_agency: str
    mentions: list[str] = strawberry.field(
        description="Agencies mentioned (for NAMED: the agencies it is shared with)."
    )
    reply_to: strawberry.ID | None
    editable: bool = strawberry.field(description="The caller wrote it, so may edit or delete it.")

    @classmethod
    def from_row(cls, r: dict[str, Any], caller_sub: str) -> Note:
        """A note from a ``service`` row (already checked readable)."""
        return cls(
            id=strawberry.ID(r["id"]),
            siren=r["siren"],
            body=r["body"],
            visibility=NoteVisibility(r["visibility"]),
            version=int(r["version"]),
            created_at=as_datetime(r.get("created_at")),
            updated_at=as_datetime(r.get("updated_at")),
            author_name=r.get("author_name"),
            author_agency=r["author_agency"],
            mentions=sorted(r.get("mentions") or ()),
            reply_to=strawberry.ID(r["reply_to"]) if r.get("reply_to") else None,
            editable=r.get("author_sub") == caller_sub,
        )

    @field(description="The replies the caller may read, oldest first (deleted ones left out).")
    async def replies(self, info: ApiInfo) -> list[Note]:
        ctx = info.context
        found = (await service.replies(ctx.store, [str(self.id)]))[str(self.id)]
        return [Note.from_row(r, ctx.me.sub) for r in await access.readable(ctx, found)]

    @field(description="Every version of this note, first to last.")
    async def versions(self, info: ApiInfo) -> list[NoteVersion]:
        ctx = info.context
        await access.readable_note(ctx, str(self.id))
        return versions_of(await service.versions(ctx.store, str(self.id)))


@strawberry.type
class NoteEdge:
    cursor: str
    node: Note


@strawberry.type(description="A page of the notes about a company the caller may read, newest first.")
class NoteConnection:
    total_count: int = strawberry.field(description="Every top-level note the caller may read.")
    edges: list[NoteEdge]
    page_info: PageInfo


@strawberry.type(description="A note after its soft deletion: gone from the API, its versions kept for the audit.")
class DeletedNote:
    id: strawberry.ID
    deleted_at: datetime | None
