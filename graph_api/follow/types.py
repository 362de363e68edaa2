"""GraphQL types of follows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import strawberry

from graph_api.pagination import PageInfo


@strawberry.enum(description="Why an agency starts following a company.")
class FollowReason(Enum):
    DETECTION = "detection"
    INTERNAL_SOURCE = "internal_source"
    EXTERNAL_SOURCE = "external_source"
    OTHER = "other"


@strawberry.enum(description="How a follow ended.")
class FollowOutcome(Enum):
    ACTIONS_TAKEN = "actions_taken"
    NONE_NEEDED = "none_needed"


@strawberry.enum(description="Which follows to list.")
class FollowStatus(Enum):
    CURRENT = "current"
    ENDED = "ended"
    ALL = "all"


def as_datetime(value: Any) -> datetime | None:
    """A Neo4j date or datetime as a Python datetime (a bare date at midnight UTC)."""
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    if isinstance(native, datetime):
        return native
    if isinstance(native, date):
        return datetime(native.year, native.month, native.day, tzinfo=UTC)
    return None


def _enum(kind: type[Enum], value: Any) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return kind("other") if kind is FollowReason else None


@strawberry.type(description="One follow of a company by the caller's agency, current or ended.")
class Follow:
    id: strawberry.ID
    siren: str
    company_name: str | None
    reason: FollowReason | None
    comment: str | None = strawberry.field(description="Why it was started (free text).")
    since: datetime | None
    by: str | None = strawberry.field(description="The agent who started it.")
    current: bool = strawberry.field(description="True until it is ended: only a current follow grants access.")
    until: datetime | None
    outcome: FollowOutcome | None
    end_comment: str | None
    ended_by: str | None

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Follow:
        """A follow from a row of ``follow.service``."""
        return cls(
            id=strawberry.ID(str(r["id"])),
            siren=r["siren"],
            company_name=r.get("name"),
            reason=_enum(FollowReason, r.get("reason")),
            comment=r.get("comment"),
            since=as_datetime(r.get("since")),
            by=r.get("by"),
            current=r.get("until") is None,
            until=as_datetime(r.get("until")),
            outcome=_enum(FollowOutcome, r.get("outcome")),
            end_comment=r.get("end_comment"),
            ended_by=r.get("ended_by"),
        )


@strawberry.type
class FollowEdge:
    cursor: str
    node: Follow


@strawberry.type(description="A page of the caller's agency's follows, newest first.")
class FollowConnection:
    total_count: int
    edges: list[FollowEdge]
    page_info: PageInfo
