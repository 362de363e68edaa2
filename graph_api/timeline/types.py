"""GraphQL types of the company timeline."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="One dated event about a company (source data, judgment, alert, note…).")
class TimelineEvent:
    id: str
    kind: str
    source: str | None
    occurred_on: date
    known_on: date | None = strawberry.field(description="When the fact became known (the delivery's date).")
    summary: str | None
    payload: JSON | None
    pinned: bool = strawberry.field(description="Pinned by the caller's agency.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TimelineEvent:
        """An event from a row of ``timeline.service.events``."""
        payload = row.get("payload")
        if isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError:
                payload = {"text": payload}
        known = row.get("known_on")
        return cls(
            id=row["id"],
            kind=row["kind"],
            source=row.get("source"),
            occurred_on=row["occurred_on"],
            known_on=known if isinstance(known, date) else None,
            summary=row.get("summary"),
            payload=cast(JSON | None, payload),
            pinned=bool(row.get("pinned")),
        )


@strawberry.type
class TimelineEdge:
    cursor: str
    node: TimelineEvent


@strawberry.type(description="Where a page starts and ends, in both directions.")
class TimelinePageInfo:
    start_cursor: str | None
    end_cursor: str | None
    has_next_page: bool = strawberry.field(description="More events after `endCursor` (always known going forward).")
    has_previous_page: bool = strawberry.field(
        description="More events before `startCursor` (always known going backward)."
    )


@strawberry.type(description="A page of a company's timeline, oldest first.")
class TimelineConnection:
    total_count: int = strawberry.field(description="Every event the caller may see under the filters.")
    edges: list[TimelineEdge]
    page_info: TimelinePageInfo
    hidden_blocks: list[str] = strawberry.field(
        description="Data blocks whose events were left out because the doctrine does not grant them."
    )
