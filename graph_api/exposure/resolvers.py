"""Root fields of related-company exposure."""

from __future__ import annotations

import asyncio
import itertools

import strawberry

from graph_api.company.loaders import decision_loader, identity_loader
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock
from graph_api.doctrine.guard import company_facts
from graph_api.doctrine.rules import decide_block
from graph_api.errors import bad_input
from graph_api.exposure import paths, projection, service
from graph_api.exposure.trade_loader import trade_loader
from graph_api.exposure.types import (
    FailureImpact,
    ImpactedCompany,
    ImpactRelation,
    PathHop,
    RelatedCompanies,
    RelatedCompany,
    TradeExposure,
)
from graph_api.fields import child_field_names, field
from graph_api.pagination import page_size
from graph_api.search.types import CompanyIdentity

MAX_HOPS = 3
CANDIDATES_PER_ITEM = 2
MIN_CANDIDATES = 50
"""Candidates read (and decided) first for a page: ``max(limit × CANDIDATES_PER_ITEM, MIN_CANDIDATES)``."""


async def _granted_scores(ctx: RequestContext, sirens: list[str]) -> dict[str, float | None]:
    """The latest p12 of each candidate whose score block the doctrine grants, for ranking only.

    Deciding the candidates is one facts read (cached per request); auditing each
    would be one entry per candidate for scores that never leave the server. The
    partners whose score is returned are audited by ``_audited``.
    """
    if not sirens or not ctx.me.has_role(BLOCK_ROLE[DataBlock.SCORES]):
        return {}
    facts = await company_facts(ctx, sirens)
    cleared = [f.siren for f in facts if decide_block(ctx.me, DataBlock.SCORES, f).allowed]
    found = await service.latest_p12(ctx.store, cleared)
    return {s: found.get(s) for s in cleared}


async def _audited(ctx: RequestContext, sirens: list[str], p12: dict[str, float | None]) -> dict[str, float | None]:
    """The scores of the returned partners, each decided again and audited (allowed or denied) before it leaves."""
    if not sirens or not ctx.me.has_role(BLOCK_ROLE[DataBlock.SCORES]):
        return {}
    decisions = await decision_loader(ctx, DataBlock.SCORES).load_many(sirens)
    return {s: p12.get(s) for s, d in zip(sirens, decisions, strict=True) if d.allowed}


async def _identities(ctx: RequestContext, sirens: list[str]) -> dict[str, CompanyIdentity]:
    rows = await identity_loader(ctx).load_many(sirens)
    return {
        s: CompanyIdentity.from_row(r) if r else CompanyIdentity.from_row({"siren": s})
        for s, r in zip(sirens, rows, strict=True)
    }


async def _top(
    ctx: RequestContext, siren: str, max_hops: int, limit: int
) -> tuple[int, list[paths.Ranked], dict[str, tuple[str, ...]]]:
    """The number of companies within ``max_hops``, the first ``limit`` of them by exposure and their chains.

    Best first: the candidates come by dependency, which bounds their exposure,
    so only the first ones are decided and scored; more are read only when a
    candidate further down could still enter the page (``paths.settled``).
    """
    first = max(limit * CANDIDATES_PER_ITEM, MIN_CANDIDATES)
    while True:
        total, candidates = await projection.related(ctx, siren, max_hops, first)
        rows = [(c.siren, c.hops, c.dependency) for c in candidates]
        ranking = paths.ranked(rows, await _granted_scores(ctx, [c.siren for c in candidates]))
        if len(candidates) >= total or paths.settled(ranking, rows[-1], limit):
            chains = {c.siren: c.chain for c in candidates}
            return total, ranking[:limit], chains
        first *= 8


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
        if not 1 <= max_hops <= MAX_HOPS:
            raise bad_input(f"maxHops must be between 1 and {MAX_HOPS}", argument="maxHops")
        limit = page_size(first, ctx.settings.limits)
        total, page, chains = await _top(ctx, s, max_hops, limit)
        sirens = [r.siren for r in page]
        # The hops' links are read only when the paths are asked for (one statement, a tenth of the request).
        with_paths = "path" in child_field_names(info, "items")
        pairs = (
            list(dict.fromkeys(pair for x in sirens for pair in itertools.pairwise(chains[x]))) if with_paths else []
        )
        shown, ids, hops = await asyncio.gather(
            _audited(ctx, sirens, {r.siren: r.p12 for r in page}),
            _identities(ctx, sirens),
            service.links(ctx.store, pairs),
        )
        items = [
            RelatedCompany(
                company=ids[r.siren],
                hops=r.hops,
                path=[
                    PathHop.of(hops.get(pair) or paths.unlinked(*pair)) for pair in itertools.pairwise(chains[r.siren])
                ]
                if with_paths
                else [],
                dependency=r.dependency,
                partner_p12=shown.get(r.siren),
                exposure=r.exposure if r.siren in shown else None,
                rank_value=r.rank,
            )
            for r in page
        ]
        return RelatedCompanies(total_count=total, items=items)

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
        ids = await _identities(ctx, list(dict.fromkeys(r["siren"] for r in rows)))
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
