"""Related companies, ranked by exposure and capped: the search, the doctrine's decisions and audit, the paths.

Shared by ``relatedCompanies`` (``resolvers.py``) and the exposure graph export
(``export.py``), so that both answer the same page under the same rules.
"""

from __future__ import annotations

import asyncio
import itertools

from graph_api.company.loaders import decision_loader, identity_loader
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock
from graph_api.doctrine.guard import company_facts
from graph_api.doctrine.rules import decide_block
from graph_api.errors import bad_input
from graph_api.exposure import paths, projection, service
from graph_api.exposure.types import PathHop, RelatedCompanies, RelatedCompany
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


async def identities(ctx: RequestContext, sirens: list[str]) -> dict[str, CompanyIdentity]:
    """The public identity of each company (its SIREN alone when Sirene does not know it)."""
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


def check_hops(max_hops: int, argument: str) -> None:
    """Raises ``BAD_USER_INPUT`` naming ``argument`` unless ``max_hops`` is 1 to ``MAX_HOPS``."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise bad_input(f"{argument} must be between 1 and {MAX_HOPS}", argument=argument)


async def page(ctx: RequestContext, s: str, max_hops: int, limit: int, with_paths: bool) -> RelatedCompanies:
    """The ``limit`` companies most exposed within ``max_hops`` of ``s``, and how many there are in all.

    Args:
        ctx: the request (its caller's doctrine decides and audits each partner's score).
        s: the company's SIREN, already checked.
        max_hops: 1 to ``MAX_HOPS``, already checked.
        limit: the page size, already within the limits.
        with_paths: also read each hop's links (otherwise ``path`` is empty).
    """
    total, top, chains = await _top(ctx, s, max_hops, limit)
    sirens = [r.siren for r in top]
    pairs = list(dict.fromkeys(pair for x in sirens for pair in itertools.pairwise(chains[x]))) if with_paths else []
    shown, ids, hops = await asyncio.gather(
        _audited(ctx, sirens, {r.siren: r.p12 for r in top}),
        identities(ctx, sirens),
        service.links(ctx.store, pairs),
    )
    items = [
        RelatedCompany(
            company=ids[r.siren],
            hops=r.hops,
            path=[PathHop.of(hops.get(pair) or paths.unlinked(*pair)) for pair in itertools.pairwise(chains[r.siren])]
            if with_paths
            else [],
            dependency=r.dependency,
            partner_p12=shown.get(r.siren),
            exposure=r.exposure if r.siren in shown else None,
            rank_value=r.rank,
        )
        for r in top
    ]
    return RelatedCompanies(total_count=total, items=items)
