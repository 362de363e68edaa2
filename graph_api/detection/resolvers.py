"""Root field of detection lists."""

from __future__ import annotations

from typing import Any

import strawberry

from graph_api.company.loaders import identity_loader
from graph_api.company.types import Company
from graph_api.context import ApiInfo
from graph_api.detection import audit, service
from graph_api.detection.types import (
    DetectionAlert,
    DetectionCount,
    DetectionFilters,
    DetectionHandling,
    DetectionItem,
    DetectionList,
)
from graph_api.doctrine.guard import company_facts
from graph_api.doctrine.rules import visible_blocks
from graph_api.fields import field
from graph_api.pagination import page_size


def _counts(found: dict[str, int]) -> list[DetectionCount]:
    return [DetectionCount(value=k, count=v) for k, v in sorted(found.items())]


def _item(cursor: str, row: dict[str, Any], identity: dict[str, Any], blocks: list[str]) -> DetectionItem:
    return DetectionItem(
        cursor=cursor,
        alert=DetectionAlert(
            id=row["alert_id"],
            period=row["period"],
            level=row["level"],
            region=row["region"],
            first_alert=row["first_alert"],
            rank=row["rank"],
            listed_at=row["listed_at"],
        ),
        company=Company.from_row(identity),
        followed_by_my_agency=bool(row["followed"]),
        handling=DetectionHandling(
            status=row["status"],
            reason=row["reason"],
            at=row["at"],
            by=row["by"],
            intervention_id=row["intervention_id"],
        ),
        visible_blocks=blocks,
    )


@strawberry.type
class DetectionQuery:
    @field(
        description=(
            "A region's published detection list of one month (the latest when `period` is omitted), limited to "
            "the caller's zones, with filters, pagination and totals. Needs the `detection` role; a region or "
            "département outside the caller's zones is FORBIDDEN. Each company's data blocks follow the doctrine."
        )
    )
    async def detection_list(
        self,
        info: ApiInfo,
        region: str,
        period: str | None = None,
        filters: DetectionFilters | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> DetectionList:
        ctx = info.context
        limit = page_size(first, ctx.settings.limits)
        skip = service.CURSOR.skip_after(after)
        flt = (filters or DetectionFilters()).to_filters()
        scope = await audit.checked(ctx, audit.READ_ACTION, region, period, flt)
        page = await service.read_list(ctx.store, scope, ctx.me.agency, skip, limit)
        await audit.record(ctx, audit.READ_ACTION, audit.target(scope.region, page.period), allowed=True)
        sirens = [r["siren"] for r in page.items]
        identities = await identity_loader(ctx).load_many(sirens)
        facts = await company_facts(ctx, sirens)
        items = [
            _item(
                service.encode_offset(skip + i),
                row,
                identity or {"siren": row["siren"]},
                sorted(b.value for b in visible_blocks(ctx.me, f)),
            )
            for i, (row, identity, f) in enumerate(zip(page.items, identities, facts, strict=True))
        ]
        return DetectionList(
            region=scope.region,
            period=page.period,
            departements=list(scope.departements),
            total_count=page.total,
            counts_by_level=_counts(page.by_level),
            counts_by_status=_counts(page.by_status),
            items=items,
            end_cursor=items[-1].cursor if items else None,
            has_next_page=skip + len(items) < page.total,
        )
