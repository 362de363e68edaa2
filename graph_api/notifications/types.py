"""GraphQL types of the notification outbox (delivery status for auditors and agencies)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry


@strawberry.type(description="One delivery attempt of a notification.")
class DeliveryAttempt:
    number: int
    at: datetime
    outcome: str = strawberry.field(description="`sent` or `failed`.")
    error: str | None
    retry_in_seconds: float | None = strawberry.field(description="Back-off before the next attempt, if any.")


@strawberry.type(description="A detection-list notification to an agency, and where its delivery stands.")
class Notification:
    id: str
    agency: str
    region: str
    period: str
    channel: str = strawberry.field(description="`webhook` or `email`.")
    status: str = strawberry.field(description="`pending`, `sent` or `failed` (gave up after the last attempt).")
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime | None
    sent_at: datetime | None
    history: list[DeliveryAttempt]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Notification:
        """A notification from a row of ``notifications.service.outbox``."""
        return cls(
            id=row["id"],
            agency=row["agency"],
            region=row["region"],
            period=row["period"],
            channel=row["channel"],
            status=row["status"],
            attempts=int(row["attempts"] or 0),
            next_attempt_at=row.get("next_attempt_at"),
            last_error=row.get("last_error"),
            created_at=row.get("created_at"),
            sent_at=row.get("sent_at"),
            history=[
                DeliveryAttempt(
                    number=int(h["number"]),
                    at=h["at"],
                    outcome=h["outcome"],
                    error=h.get("error"),
                    retry_in_seconds=h.get("retry_in_seconds"),
                )
                for h in row["history"]
                if h.get("number") is not None
            ],
        )
