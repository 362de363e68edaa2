"""The page's one-statement structure read (``structure.pages``) answers exactly what the five
separate reads answer (identity, establishments, group, owners, directors), on the company-page world."""

from __future__ import annotations

import asyncio
from typing import Any

from api_support import async_store
from company_world import LARGE_MEMBERS, SMALL_MEMBER, UNKNOWN, H, P, Q, X
from page_support import PageApi

from graph_api.company import service, structure

SIRENS = [P, SMALL_MEMBER, Q, *LARGE_MEMBERS, H, X, UNKNOWN]


def _by_kind(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # owners or directors with the same `since` may come in either order, in both reads
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)


def test_the_page_read_matches_the_separate_reads(page_api: PageApi) -> None:
    async def run() -> None:
        async with async_store() as store:
            together = await structure.pages(store, SIRENS)
            identities = await service.identities(store, SIRENS)
            establishments = await structure.establishments(store, SIRENS)
            groups = await structure.groups(store, SIRENS)
            owners = await structure.owners(store, SIRENS)
            directors = await structure.directors(store, SIRENS)
        assert set(together) == set(identities)  # the unknown SIREN is absent from both
        assert UNKNOWN not in together
        for siren, page in together.items():
            assert page["identity"] == identities[siren]
            assert page["establishments"] == establishments.get(siren, [])
            assert page["group"] == groups.get(siren)
            assert _by_kind(page["owners"]) == _by_kind(owners.get(siren, []))
            assert _by_kind(page["directors"]) == _by_kind(directors.get(siren, []))
        assert any(p["owners"] for p in together.values()) and any(p["directors"] for p in together.values())
        assert any(p["group"] for p in together.values())

    asyncio.run(run())
