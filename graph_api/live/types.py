"""GraphQL types of the alert feed (the company timeline reuses ``TimelineEvent``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry


@strawberry.type(description="A company newly put on a published detection list in one of the agent's zones.")
class FeedAlert:
    id: str
    siren: str
    name: str | None
    departement: str | None
    region: str | None
    period: str
    level: str
    first_alert: bool = strawberry.field(description="First time the company is on a list.")
    rank: int | None = strawberry.field(description="Rank in its region's list.")
    p12: float | None = strawberry.field(
        description="Probability of a procedure within 12 months; null unless the doctrine grants the scores block."
    )
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any], with_score: bool) -> FeedAlert:
        """An item from a row of ``alert_stream.ALERTS``; ``p12`` only when the scores block is granted."""
        rank = row.get("rank")
        p12 = row.get("p12")
        return cls(
            id=str(row["id"]),
            siren=str(row["siren"]),
            name=row.get("name"),
            departement=row.get("departement"),
            region=row.get("region"),
            period=str(row["period"]),
            level=str(row["level"]),
            first_alert=bool(row.get("first_alert")),
            rank=int(rank) if rank is not None else None,
            p12=float(p12) if with_score and p12 is not None else None,
            created_at=row["at"],
        )


@strawberry.type(description="A region's detection list of a month was published.")
class DetectionListPublished:
    region: str
    period: str
    items: int = strawberry.field(description="Companies on the list when it was found published.")
    published_at: datetime


AlertFeedEvent = Annotated[FeedAlert | DetectionListPublished, strawberry.union("AlertFeedEvent")]
"""What the alert feed carries."""
