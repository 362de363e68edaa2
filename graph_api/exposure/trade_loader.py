"""The request's batched loader of trade exposure, for ``tradeExposure`` and ``Company.tradeExposure``.

One query for every company's trade partners, one batch of doctrine decisions
(audited) for the partners' score blocks, one query for the cleared partners'
latest alert levels, one identity batch for the partners at risk: the cost does
not grow with the number of companies.
"""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from graph_api.company.loaders import decision_loader, identity_loader
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock
from graph_api.exposure import service, trade
from graph_api.exposure.types import TradeExposure, TradeSide
from graph_api.search.types import CompanyIdentity


async def _sides(ctx: RequestContext, sirens: list[str]) -> list[dict[str, trade.SideTotals]]:
    partners_of = await service.trade_partners(ctx.store, sirens)
    partners = sorted({r["siren"] for rows in partners_of.values() for r in rows})
    cleared: set[str] = set()
    if partners and ctx.me.has_role(BLOCK_ROLE[DataBlock.SCORES]):
        decisions = await decision_loader(ctx, DataBlock.SCORES).load_many(partners)
        cleared = {p for p, d in zip(partners, decisions, strict=True) if d.allowed}
    alerts = await service.latest_alerts(ctx.store, sorted(cleared))
    return [trade.aggregate(partners_of[s], alerts, cleared) for s in sirens]


def _side(t: trade.SideTotals, ids: dict[str, CompanyIdentity]) -> TradeSide:
    return TradeSide(
        partners=t.partners,
        amount_12m=t.amount_12m,
        share_in_procedure=t.share_in_procedure,
        share_on_alert=t.share_on_alert,
        share_at_risk=t.share_at_risk,
        share_undisclosed=t.share_undisclosed,
        amount_at_risk_12m=t.amount_at_risk,
        partners_at_risk=[ids[p] for p in t.at_risk],
    )


def trade_loader(ctx: RequestContext) -> DataLoader[str, TradeExposure]:
    """The request's loader of trade exposure, keyed by SIREN (unknown companies: no partners)."""

    def build() -> DataLoader[str, TradeExposure]:
        async def load(sirens: list[str]) -> list[TradeExposure]:
            sides = await _sides(ctx, sirens)
            at_risk = sorted({p for per in sides for t in per.values() for p in t.at_risk})
            rows = await identity_loader(ctx).load_many(at_risk)
            ids = {s: CompanyIdentity.from_row(r or {"siren": s}) for s, r in zip(at_risk, rows, strict=True)}
            return [TradeExposure(sales=_side(p["SALES"], ids), purchases=_side(p["PURCHASES"], ids)) for p in sides]

        return DataLoader(load_fn=load)

    return ctx.loader(("exposure", "trade"), build)
