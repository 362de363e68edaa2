"""Per-request DataLoaders of the company domain, each guarded by the doctrine.

A data-block loader receives every SIREN the operation asks for at once: the
doctrine decides and audits them in one go, then the data of the cleared ones is
read in one query (graph) or one thread hop (measure store). Refused and unknown
companies get the same FORBIDDEN error, decided before any data is looked at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from graph_api.company import measures, service
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.guard import authorize_blocks
from graph_api.errors import ApiError, forbidden

BlockData = dict[str, Any]
Fetch = Callable[[RequestContext, Sequence[str]], Awaitable[dict[str, BlockData]]]


async def _scores(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    found = await service.scores(ctx.store, sirens)
    return {s: {"scores": rows} for s, rows in found.items()}


async def _urssaf(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.urssaf(ctx.measures, sirens))


async def _short_time_work(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.short_time_work(ctx.measures, sirens))


async def _bdf(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.bdf(ctx.measures, sirens))


FETCHERS: dict[DataBlock, Fetch] = {
    DataBlock.URSSAF: _urssaf,
    DataBlock.SHORT_TIME_WORK: _short_time_work,
    DataBlock.BDF: _bdf,
    DataBlock.SCORES: _scores,
}


def block_loader(ctx: RequestContext, block: DataBlock) -> DataLoader[str, BlockData]:
    """The request's loader of one data block, keyed by SIREN.

    Args:
        ctx: the request context.
        block: the data block.

    Returns:
        A loader whose ``load(siren)`` returns the block's data or raises the
        FORBIDDEN ``ApiError``.
    """

    def build() -> DataLoader[str, BlockData]:
        async def load(sirens: list[str]) -> list[BlockData | ApiError]:
            decisions = await authorize_blocks(ctx, block, sirens)
            cleared = [s for s in sirens if decisions[s].allowed]
            data = await FETCHERS[block](ctx, cleared) if cleared else {}
            return [data.get(s, {}) if decisions[s].allowed else forbidden() for s in sirens]

        return DataLoader(load_fn=load)  # type: ignore[arg-type]  # errors are per-key values

    return ctx.loader(("company", "block", block), build)


def identity_loader(ctx: RequestContext) -> DataLoader[str, dict[str, Any] | None]:
    """The request's loader of Sirene identities (public: no doctrine check), keyed by SIREN."""

    def build() -> DataLoader[str, dict[str, Any] | None]:
        async def load(sirens: list[str]) -> list[dict[str, Any] | None]:
            found = await service.identities(ctx.store, sirens)
            return [found.get(s) for s in sirens]

        return DataLoader(load_fn=load)

    return ctx.loader(("company", "identity"), build)
