"""Reads one company's timeline events, keyset-paginated on (occurred_on, id).

A cursor is the (occurred_on, id) of an event, so a page boundary never moves
when events are added elsewhere in the stream.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

# A note event is shown to whoever may read its note now (``can_read_note``: the
# author's agency, the named agencies, or the involved ones; nobody once deleted),
# checked in the query so that pages and totals stay exact.
_WHERE: LiteralString = """
MATCH (e:TimelineEvent)-[:ABOUT]->(:Company {siren: $siren})
WHERE (e.kind IN $kinds OR (e.kind IN $note_kinds AND EXISTS {
         MATCH (n:CaseNote {id: e.note_id})
         WHERE NOT coalesce(n.deleted, false)
           AND (n.author_agency = $agency
                OR (n.visibility = 'NAMED' AND $agency IN coalesce(n.mentions, []))
                OR (n.visibility = 'INVOLVED' AND $involved)) }))
  AND ($sources IS NULL OR e.source IN $sources)
  AND ($from_date IS NULL OR e.occurred_on >= $from_date)
  AND ($to_date IS NULL OR e.occurred_on <= $to_date)
"""

# Pinned events (the caller's agency's pins) come first when asked: the sort key
# is (rank, occurred_on, id) with rank 0 for a pinned event under pinnedFirst, 1
# otherwise, and a cursor carries the whole key.
_RANKED: LiteralString = """
WITH e, EXISTS { MATCH (:TimelinePin {id: $pin_prefix + e.id}) } AS pinned
WITH e, pinned, CASE WHEN $pinned_first AND pinned THEN 0 ELSE 1 END AS rank
WHERE ($after_on IS NULL OR rank > $after_rank OR (rank = $after_rank AND (
         e.occurred_on > $after_on OR (e.occurred_on = $after_on AND e.id > $after_id))))
  AND ($before_on IS NULL OR rank < $before_rank OR (rank = $before_rank AND (
         e.occurred_on < $before_on OR (e.occurred_on = $before_on AND e.id < $before_id))))
RETURN e.id AS id, e.kind AS kind, e.source AS source, e.occurred_on AS occurred_on, e.known_on AS known_on,
       e.summary AS summary, e.payload AS payload, pinned, rank
"""

_FORWARD: LiteralString = _WHERE + _RANKED + "ORDER BY rank ASC, e.occurred_on ASC, e.id ASC LIMIT $limit"
_BACKWARD: LiteralString = _WHERE + _RANKED + "ORDER BY rank DESC, e.occurred_on DESC, e.id DESC LIMIT $limit"

_COUNT: LiteralString = _WHERE + "RETURN count(e) AS total"


@dataclass(frozen=True)
class Key:
    """The position of an event in the stream (rank 0: pinned, shown first; 1: the chronological rest)."""

    occurred_on: date
    id: str
    rank: int = 1


def encode(key: Key) -> str:
    """The opaque cursor of an event."""
    raw = json.dumps(["tl", key.occurred_on.isoformat(), key.id, key.rank])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode(cursor: str) -> Key | None:
    """The position of a cursor; None when it is not a timeline cursor."""
    try:
        tag, day, ident, *rest = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        rank = rest[0] if rest else 1
        if tag != "tl" or not isinstance(ident, str) or rank not in (0, 1) or len(rest) > 1:
            return None
        return Key(date.fromisoformat(day), ident, int(rank))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class Window:
    """What to read: filters, the cursors and the direction."""

    siren: str
    kinds: list[str]
    sources: list[str] | None
    from_: date | None
    to: date | None
    after: Key | None
    before: Key | None
    limit: int
    backward: bool
    agency: str = ""
    pinned_first: bool = False
    note_kinds: list[str] = field(default_factory=list)
    involved: bool = False


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _params(w: Window) -> dict[str, Any]:
    return {
        "siren": w.siren,
        "kinds": w.kinds,
        "note_kinds": w.note_kinds,
        "agency": w.agency,
        "involved": w.involved,
        "sources": w.sources,
        "from_date": w.from_,
        "to_date": w.to,
        "after_on": w.after.occurred_on if w.after else None,
        "after_id": w.after.id if w.after else None,
        "before_on": w.before.occurred_on if w.before else None,
        "before_id": w.before.id if w.before else None,
        "after_rank": w.after.rank if w.after else None,
        "before_rank": w.before.rank if w.before else None,
        "pin_prefix": f"{w.agency}|",
        "pinned_first": w.pinned_first,
        "limit": w.limit + 1,
    }


async def events(store: AsyncGraphStore, w: Window) -> tuple[list[dict[str, Any]], bool]:
    """The events of the window in chronological order, and whether more lie beyond the page.

    Reads ``limit + 1`` events in the reading direction to know whether more follow.
    """
    rows = await store.read(_BACKWARD if w.backward else _FORWARD, _params(w))
    more = len(rows) > w.limit
    page = [{k: _native(v) for k, v in r.items()} for r in rows[: w.limit]]
    if w.backward:
        page.reverse()
    return page, more


async def total(store: AsyncGraphStore, w: Window) -> int:
    """Every event matching the filters (cursors ignored)."""
    rows = await store.read(_COUNT, _params(w))
    return int(rows[0]["total"]) if rows else 0
