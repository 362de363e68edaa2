"""The events the loaders derive, their deterministic ids, and how they are written.

An event's id is built from its kind and the natural key of the fact behind it,
so deriving it again (a reloaded delivery, a resumed run) merges into the same
node instead of adding one. Its ``known_on``, ``delivery`` and ``source_file``
are those of the first delivery that brought it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from loaders.ingest.context import LoadContext


class EventKind(StrEnum):
    """What happened to a company."""

    DEBT_APPEARS = "debt_appears"
    DEBT_GROWS = "debt_grows"
    PAYMENT_PLAN = "payment_plan"
    CCSF = "ccsf"
    SHORT_TIME_WORK_REQUESTED = "short_time_work_requested"
    SHORT_TIME_WORK_USED = "short_time_work_used"
    INSOLVENCY_JUDGMENT = "insolvency_judgment"
    HEADCOUNT_DROP = "headcount_drop"
    ESTABLISHMENT_CLOSED = "establishment_closed"
    GROUP_CHANGE = "group_change"
    OWNERSHIP_CHANGE = "ownership_change"


def event_id(kind: EventKind, *key: object) -> str:
    """The deterministic id of an event: its kind then its key parts, ``:``-joined."""
    return ":".join([kind.value, *("" if k is None else str(k) for k in key)])


@dataclass(frozen=True)
class Event:
    """A derived timeline event.

    Attributes:
        id: deterministic id (``event_id``).
        siren: the company it is about.
        kind: what happened.
        source: the source family (``urssaf``, ``dgefp``, ``sirene``…).
        occurred_on: when it happened (valid-at date).
        summary: one line for people, in French like the agents' screens.
        payload: the figures behind it (JSON-serialisable).
        source_file: the file that brought it; the file being loaded when None.
    """

    id: str
    siren: str
    kind: EventKind
    source: str
    occurred_on: date
    summary: str
    payload: dict[str, Any] = field(default_factory=dict)
    source_file: str | None = None

    def row(self) -> dict[str, Any]:
        """The Cypher parameter row of this event."""
        return {
            "id": self.id,
            "siren": self.siren,
            "kind": self.kind.value,
            "source": self.source,
            "occurred_on": self.occurred_on,
            "summary": self.summary,
            "payload": json.dumps(self.payload, sort_keys=True, default=str, ensure_ascii=False),
            "source_file": self.source_file,
        }


_WRITE = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (e:TimelineEvent {id: row.id})
  ON CREATE SET e.known_on = $known_on, e.delivery = $delivery, e.pinned = false,
    e.source_file = coalesce(row.source_file, $source_file), e.first_known_on = $known_on
SET e.siren = row.siren, e.kind = row.kind, e.source = row.source, e.occurred_on = row.occurred_on,
    e.summary = row.summary, e.payload = row.payload
MERGE (e)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = coalesce(row.source_file, $source_file), a.delivery = $delivery,
    a.known_on = $known_on, a.first_known_on = $known_on
"""


def _rows(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    for ev in events:
        yield ev.row()


def write_events(ctx: LoadContext, events: Iterable[Event]) -> int:
    """Merges events into the graph, batched; returns how many were written."""
    return ctx.write(_WRITE, _rows(events))
