"""Root field ``notifications``: the delivery status of the outbox.

Auditors see every agency's notifications; an agent with the ``detection`` role
sees its own agency's (the lists it is notified of are detection content);
anyone else is refused.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_api.context import ApiInfo
from graph_api.doctrine.blocks import AUDITOR_ROLE, DETECTION_ROLE
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field
from graph_api.notifications import service
from graph_api.notifications.types import Notification
from graph_api.pagination import page_size


@strawberry.enum(description="Where a notification's delivery stands.")
class NotificationStatus(Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@strawberry.type
class NotificationQuery:
    @field(
        description=(
            "Detection-list notifications and their delivery (attempts, back-off, last error), newest first. "
            "Auditors: every agency (or `agency`); agents with the `detection` role: their own agency."
        )
    )
    async def notifications(
        self,
        info: ApiInfo,
        agency: str | None = None,
        status: NotificationStatus | None = None,
        period: str | None = None,
        first: int | None = None,
    ) -> list[Notification]:
        ctx = info.context
        me = ctx.me
        if me.has_role(AUDITOR_ROLE):
            scope = agency
        elif me.has_role(DETECTION_ROLE):
            if agency is not None and agency != me.agency:
                raise forbidden()
            scope = me.agency
        else:
            raise forbidden()
        if period is not None and (len(period) != 7 or period[4] != "-"):
            raise bad_input("a period is YYYY-MM", argument="period")
        limit = page_size(first, ctx.settings.limits)
        rows = await service.outbox(ctx.store, scope, status.value if status else None, period, limit)
        return [Notification.from_row(r) for r in rows]
