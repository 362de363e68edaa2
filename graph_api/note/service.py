"""Reads and writes ``CaseNote`` nodes, their versions, mentions and replies.

Model: ``(CaseNote {id, siren, body, visibility, version, created_at, updated_at,
deleted, author_sub, author_name, author_agency, mentions, reply_to})-[:ABOUT]->
(Company)``, ``(Agent)-[:WROTE]->(CaseNote)``, ``(CaseNote)-[:MENTIONS]->(Agency)``,
``(CaseNote)-[:REPLY_TO]->(CaseNote)`` and one ``(CaseNote)-[:HAS_VERSION]->
(NoteVersion {note_id, version, body, edited_at, by})`` per version, the first
included. Nothing here decides who may read: ``graph_api.note.access`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graphstore.store import AsyncGraphStore

# The note's properties as a map (bodies included: callers filter before showing).
_FIELDS = """
n {.id, .body, .visibility, .version, .created_at, .updated_at, .deleted, .author_sub, .author_name,
   .author_agency, .mentions, .reply_to, .deleted_at, .deleted_by, siren: c.siren}
"""

_BY_IDS = "UNWIND $ids AS id MATCH (n:CaseNote {id: id})-[:ABOUT]->(c:Company) RETURN " + _FIELDS + " AS note"

_OF_COMPANY = (
    "MATCH (n:CaseNote)-[:ABOUT]->(c:Company {siren: $siren}) "
    "WHERE n.reply_to IS NULL AND NOT coalesce(n.deleted, false) RETURN "
    + _FIELDS
    + " AS note ORDER BY n.created_at DESC, n.id ASC"
)

_REPLIES = (
    "UNWIND $ids AS parent MATCH (n:CaseNote)-[:REPLY_TO]->(:CaseNote {id: parent}) "
    "MATCH (n)-[:ABOUT]->(c:Company) WHERE NOT coalesce(n.deleted, false) "
    "RETURN parent, " + _FIELDS + " AS note ORDER BY n.created_at ASC, n.id ASC"
)

_VERSIONS = """
MATCH (:CaseNote {id: $id})-[:HAS_VERSION]->(v:NoteVersion)
RETURN v.version AS version, v.body AS body, v.edited_at AS edited_at, v.by AS by
ORDER BY v.version ASC
"""

_UNKNOWN_AGENCIES = """
UNWIND $codes AS code
OPTIONAL MATCH (a:Agency {code: code})
WITH code, a WHERE a IS NULL
RETURN collect(code) AS unknown
"""

_CREATE = (
    """
MATCH (c:Company {siren: $siren})
MERGE (a:Agent {sub: $sub}) ON CREATE SET a.name = $name
CREATE (n:CaseNote {id: $id, siren: $siren, body: $body, visibility: $visibility, version: 1, created_at: $at,
                    updated_at: $at, deleted: false, author_sub: $sub, author_name: $name,
                    author_agency: $agency, mentions: $mentions, reply_to: $reply_to})
CREATE (n)-[:ABOUT]->(c)
CREATE (a)-[:WROTE]->(n)
CREATE (n)-[:HAS_VERSION]->(:NoteVersion {note_id: $id, version: 1, body: $body, edited_at: $at, by: $sub})
WITH n, c
CALL (n) {
  UNWIND $mentions AS code
  MATCH (ag:Agency {code: code})
  CREATE (n)-[:MENTIONS]->(ag)
}
CALL (n) {
  MATCH (p:CaseNote {id: $reply_to})
  CREATE (n)-[:REPLY_TO]->(p)
}
RETURN """
    + _FIELDS
    + " AS note"
)

# Taking the note's write lock first (a property set and removed) makes the
# check-and-set atomic: a concurrent edit waits here until this transaction
# ends, then reads the version this one wrote.
_LOCK = (
    "MATCH (n:CaseNote {id: $id})-[:ABOUT]->(c:Company) SET n.__lock = true REMOVE n.__lock RETURN "
    + _FIELDS
    + " AS note"
)

_EDIT = (
    """
MATCH (n:CaseNote {id: $id})-[:ABOUT]->(c:Company)
WHERE n.version = $expected AND NOT coalesce(n.deleted, false)
SET n.body = $body, n.version = $expected + 1, n.updated_at = $at
CREATE (n)-[:HAS_VERSION]->(:NoteVersion {note_id: $id, version: $expected + 1, body: $body, edited_at: $at,
                                          by: $sub})
RETURN """
    + _FIELDS
    + " AS note"
)

_DELETE = (
    """
MATCH (n:CaseNote {id: $id})-[:ABOUT]->(c:Company)
WHERE NOT coalesce(n.deleted, false)
SET n.deleted = true, n.deleted_at = $at, n.deleted_by = $sub
RETURN """
    + _FIELDS
    + " AS note"
)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _note(record: Any) -> dict[str, Any]:
    return {k: _native(v) for k, v in dict(record).items()}


async def notes_by_id(store: AsyncGraphStore, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Notes by id (deleted ones included; unknown ids absent)."""
    rows = await store.read(_BY_IDS, {"ids": list(dict.fromkeys(ids))})
    return {r["note"]["id"]: _note(r["note"]) for r in rows}


async def company_notes(store: AsyncGraphStore, siren: str) -> list[dict[str, Any]]:
    """Every top-level, not deleted note about a company, newest first (unfiltered)."""
    return [_note(r["note"]) for r in await store.read(_OF_COMPANY, {"siren": siren})]


async def replies(store: AsyncGraphStore, parents: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The not deleted replies to each note, oldest first (unfiltered)."""
    out: dict[str, list[dict[str, Any]]] = {p: [] for p in parents}
    for r in await store.read(_REPLIES, {"ids": list(dict.fromkeys(parents))}):
        out[r["parent"]].append(_note(r["note"]))
    return out


async def versions(store: AsyncGraphStore, note_id: str) -> list[dict[str, Any]]:
    """Every stored version of a note, first to last."""
    return [_note(r) for r in await store.read(_VERSIONS, {"id": note_id})]


async def unknown_agencies(tx: AsyncManagedTransaction, codes: Sequence[str]) -> list[str]:
    """The codes among ``codes`` that name no agency."""
    record = await (await tx.run(_UNKNOWN_AGENCIES, {"codes": list(codes)})).single(strict=True)
    return sorted(record["unknown"])


async def create(tx: AsyncManagedTransaction, params: dict[str, Any]) -> dict[str, Any] | None:
    """Creates a note, its first version, mentions and reply link; None when the company is unknown."""
    record = await (await tx.run(_CREATE, params)).single()
    return _note(record["note"]) if record else None


async def lock(tx: AsyncManagedTransaction, note_id: str) -> dict[str, Any] | None:
    """Takes the note's write lock and reads it as committed; None when unknown."""
    record = await (await tx.run(_LOCK, {"id": note_id})).single()
    return _note(record["note"]) if record else None


async def edit(tx: AsyncManagedTransaction, params: dict[str, Any]) -> dict[str, Any] | None:
    """Writes a new version when the note is still at ``expected``; None otherwise (nothing written)."""
    record = await (await tx.run(_EDIT, params)).single()
    return _note(record["note"]) if record else None


async def soft_delete(tx: AsyncManagedTransaction, params: dict[str, Any]) -> dict[str, Any] | None:
    """Marks a note deleted (its versions stay); None when already deleted or unknown."""
    record = await (await tx.run(_DELETE, params)).single()
    return _note(record["note"]) if record else None
