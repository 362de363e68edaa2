"""Root fields of related-company exposure."""

from __future__ import annotations

import strawberry

from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo
from graph_api.exposure import related, service
from graph_api.exposure.trade_loader import trade_loader
from graph_api.exposure.types import (
    FailureImpact,
    ImpactedCompany,
    ImpactRelation,
    RelatedCompanies,
    TradeExposure,
)
from graph_api.fields import child_field_names, field
from graph_api.pagination import page_size


@strawberry.type
class ExposureQuery:
    @field(
        description=(
            "Companies within `maxHops` (1 to 3) of a company over ownership, direction, group and supplier/client "
            "links, each with its path, ranked by exposure (partner's latest p12 × dependency, when the doctrine "
            "grants the partner's score block; otherwise by dependency) and capped by `first`. Partners appear by "
            "public identity only."
        )
    )
    async def related_companies(
        self, info: ApiInfo, siren: str, max_hops: int = 2, first: int | None = None
    ) -> RelatedCompanies:
        ctx = info.context
        ctx.me  # noqa: B018 - authenticated callers only
        s = check_siren(siren)
        related.check_hops(max_hops, "maxHops")
        # The hops' links are read only when the paths are asked for (one statement, a tenth of the request).
        with_paths = "path" in child_field_names(info, "items")
        return await related.page(ctx, s, max_hops, page_size(first, ctx.settings.limits), with_paths)

    @field(
        description=(
            "Who is hit if this company fails: its suppliers (by their share of sales to it), its clients (by "
            "their share of purchases from it), its subsidiaries and its group members; most dependent first."
        )
    )
    async def failure_impact(self, info: ApiInfo, siren: str, first: int | None = None) -> FailureImpact:
        ctx = info.context
        ctx.me  # noqa: B018 - authenticated callers only
        s = check_siren(siren)
        limit = page_size(first, ctx.settings.limits)
        total, rows = await service.impact(ctx.store, s, limit)
        ids = await related.identities(ctx, list(dict.fromkeys(r["siren"] for r in rows)))
        items = [
            ImpactedCompany(
                company=ids[r["siren"]],
                relation=ImpactRelation(r["relation"]),
                dependency=float(r["dependency"]) if r["dependency"] is not None else None,
                amount_12m=float(r["amount"]) if r["amount"] is not None else None,
            )
            for r in rows
        ]
        return FailureImpact(total_count=total, items=items)

    @field(
        description=(
            "The share of this company's sales and purchases (SUPPLIES over 12 months) tied to partners on "
            "alert (latest score moderate or high, where the doctrine grants the partner's score block) or in "
            "an insolvency procedure."
        )
    )
    async def trade_exposure(self, info: ApiInfo, siren: str) -> TradeExposure:
        ctx = info.context
        ctx.me  # noqa: B018 - authenticated callers only
        return await trade_loader(ctx).load(check_siren(siren))
