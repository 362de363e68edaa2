"""Per-request DataLoaders of the company domain, each guarded by the doctrine.

Decisions come first and are cached per request: ``decision_loader`` batches the
doctrine's decisions (one facts query, one audit write per batch, all blocks together), so
every field that shows data of a block asks the same cached decision and a
(block, company) is audited once per request. A guarded loader receives every
SIREN the operation asks for at once: the cleared ones are read in one query
(graph) or one thread hop (measure store), once decided, alongside the audit write;
their data is returned only after that write committed (none when it failed). Refused
and unknown companies get the same FORBIDDEN error, decided before any data is looked at.

Public loaders (identity, establishments, group, owners, directors, procedures) need no
decision: Sirene and the legal links are public.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph_api.company import measures, service, structure
from graph_api.company.decisions import BlockDecisions
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.errors import ApiError, forbidden

BlockData = dict[str, Any]
Fetch = Callable[[RequestContext, Sequence[str]], Awaitable[dict[str, BlockData]]]
V = TypeVar("V")


async def _scores(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    found = await service.scores(ctx.store, sirens)
    return {s: {"scores": rows} for s, rows in found.items()}


async def _urssaf(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.urssaf(ctx.measures, sirens))


async def _short_time_work(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.short_time_work(ctx.measures, sirens))


async def _bdf(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.bdf(ctx.measures, sirens))


async def _headcount(ctx: RequestContext, sirens: Sequence[str]) -> dict[str, BlockData]:
    return dict(await measures.headcount(ctx.measures, sirens))


FETCHERS: dict[DataBlock, Fetch] = {
    DataBlock.URSSAF: _urssaf,
    DataBlock.SHORT_TIME_WORK: _short_time_work,
    DataBlock.BDF: _bdf,
    DataBlock.SCORES: _scores,
}

HEADCOUNT_BLOCK = DataBlock.URSSAF
"""Headcounts come from URSSAF declarations (DSN), so they are shown under the URSSAF block."""


def _retrieve(future: asyncio.Future[Any]) -> None:
    # a read dropped because its audit write failed: its own error, if any, is moot
    if not future.cancelled():
        future.exception()


def decision_loader(ctx: RequestContext, block: DataBlock) -> BlockDecisions:
    """The request's cached doctrine decisions for one block, keyed by SIREN (each audited once).

    Every domain that shows data of a block (company page, timeline, search,
    exposure) asks here, so one request audits a (block, company) once however
    many fields need it, and the decisions asked together, whatever their
    block, share one facts read and one audit write (``company.decisions``).
    """
    return BlockDecisions(ctx, block)


def _guarded(ctx: RequestContext, key: Hashable, block: DataBlock, fetch: Fetch) -> DataLoader[str, BlockData]:
    def build() -> DataLoader[str, BlockData]:
        async def load(sirens: list[str]) -> list[BlockData | ApiError]:
            decisions, audited = await decision_loader(ctx, block).decide_many(sirens)
            cleared = [s for s, d in zip(sirens, decisions, strict=True) if d.allowed]
            # Decided first; the cleared companies' data is read while their audit entries
            # are written, and returned only once the write has committed.
            data: dict[str, BlockData] = {}
            if cleared:
                reading = asyncio.ensure_future(fetch(ctx, cleared))
                try:
                    await audited
                except BaseException:
                    reading.cancel()
                    reading.add_done_callback(_retrieve)
                    raise
                data = await reading
            else:
                await audited
            return [data.get(s, {}) if d.allowed else forbidden() for s, d in zip(sirens, decisions, strict=True)]

        return DataLoader(load_fn=load)  # type: ignore[arg-type]  # errors are per-key values

    return ctx.loader(key, build)


def block_loader(ctx: RequestContext, block: DataBlock) -> DataLoader[str, BlockData]:
    """The request's loader of one data block, keyed by SIREN.

    Args:
        ctx: the request context.
        block: the data block.

    Returns:
        A loader whose ``load(siren)`` returns the block's data or raises the
        FORBIDDEN ``ApiError``.
    """
    return _guarded(ctx, ("company", "block", block), block, FETCHERS[block])


def headcount_loader(ctx: RequestContext) -> DataLoader[str, BlockData]:
    """The request's loader of headcount series (``{"months": rows}``), guarded as ``HEADCOUNT_BLOCK``."""
    return _guarded(ctx, ("company", "headcount"), HEADCOUNT_BLOCK, _headcount)


def _public(
    ctx: RequestContext, key: str, read: Callable[[Sequence[str]], Awaitable[Mapping[str, V]]], default: V
) -> DataLoader[str, V]:
    def build() -> DataLoader[str, V]:
        async def load(keys: list[str]) -> list[V]:
            found = await read(keys)
            return [found.get(k, default) for k in keys]

        return DataLoader(load_fn=load)

    return ctx.loader(("company", key), build)


def identity_loader(ctx: RequestContext) -> DataLoader[str, dict[str, Any] | None]:
    """The request's loader of Sirene identities (public: no doctrine check), keyed by SIREN."""
    return _public(ctx, "identity", lambda s: service.identities(ctx.store, s), None)


def establishments_loader(ctx: RequestContext) -> DataLoader[str, list[dict[str, Any]]]:
    """Each company's establishments, head office first (public Sirene data)."""
    return _public(ctx, "establishments", lambda s: structure.establishments(ctx.store, s), [])


def group_loader(ctx: RequestContext) -> DataLoader[str, dict[str, Any] | None]:
    """Each company's group (id, name, reference date), or None."""
    return _public(ctx, "group", lambda s: structure.groups(ctx.store, s), None)


def group_members_loader(ctx: RequestContext) -> DataLoader[str, dict[str, Any]]:
    """Each group's members (``{"total": n, "sirens": [...]}``), keyed by group id."""
    return _public(ctx, "group_members", lambda g: structure.group_members(ctx.store, g), {"total": 0, "sirens": []})


def owners_loader(ctx: RequestContext) -> DataLoader[str, list[dict[str, Any]]]:
    """Each company's owners (companies and persons) with percentages and dates."""
    return _public(ctx, "owners", lambda s: structure.owners(ctx.store, s), [])


def directors_loader(ctx: RequestContext) -> DataLoader[str, list[dict[str, Any]]]:
    """Each company's directors (companies and persons) with roles and dates."""
    return _public(ctx, "directors", lambda s: structure.directors(ctx.store, s), [])


def page_loader(ctx: RequestContext) -> DataLoader[str, dict[str, Any] | None]:
    """Each company's identity, establishments, group, owners and directors in one read
    (``structure.pages``), or None when Sirene does not know it."""
    return _public(ctx, "page", lambda s: structure.pages(ctx.store, s), None)


def prime_page(ctx: RequestContext, siren: str, page: dict[str, Any] | None) -> None:
    """Hands a page read's parts to the request's own loaders, which then need no query of their own."""
    found = page or {}
    identity_loader(ctx).prime(siren, found.get("identity"))
    establishments_loader(ctx).prime(siren, found.get("establishments", []))
    group_loader(ctx).prime(siren, found.get("group"))
    owners_loader(ctx).prime(siren, found.get("owners", []))
    directors_loader(ctx).prime(siren, found.get("directors", []))


def procedures_loader(ctx: RequestContext) -> DataLoader[str, list[dict[str, Any]]]:
    """Each company's insolvency judgments, newest first (public: BODACC)."""
    return _public(ctx, "procedures", lambda s: structure.procedures(ctx.store, s), [])
