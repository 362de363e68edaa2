"""Reads the facts the doctrine decides on, for many companies in one query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from strawberry.dataloader import DataLoader

from graph_api.context import RequestContext
from graph_api.db import read_keyed
from graph_api.doctrine.rules import CompanyFacts
from graphstore.store import AsyncGraphStore

# A follow ends when `until` is set (or the relationship is deleted); a
# participation ends with `left_at`; a closed intervention grants nothing more.
_FACTS: LiteralString = """
UNWIND $sirens AS siren
OPTIONAL MATCH (c:Company {siren: siren})
WITH siren, c
OPTIONAL CALL (c) {
  MATCH (ag:Agency)-[f:FOLLOWS]->(c) WHERE f.until IS NULL RETURN ag.code AS code
  UNION
  MATCH (ag:Agency)-[p:PARTICIPATES_IN]->(i:Intervention)-[:ABOUT]->(c)
  WHERE p.left_at IS NULL AND coalesce(i.status, 'open') <> 'closed'
  RETURN ag.code AS code
}
WITH siren, c, collect(DISTINCT code) AS involved
RETURN siren,
       c IS NOT NULL AS exists,
       c.departement AS departement,
       c IS NOT NULL AND EXISTS { MATCH (a:Alert)-[:FOR]->(c) WHERE a.listed = true } AS listed,
       c IS NOT NULL AND EXISTS {
         MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c) WHERE f.until IS NULL
       } AS followed,
       c IS NOT NULL AND EXISTS {
         MATCH (:Agency {code: $agency})-[p:PARTICIPATES_IN]->(i:Intervention)-[:ABOUT]->(c)
         WHERE p.left_at IS NULL AND coalesce(i.status, 'open') <> 'closed'
       } AS intervening,
       involved
"""


async def load_company_facts(store: AsyncGraphStore, agency: str, sirens: Sequence[str]) -> dict[str, CompanyFacts]:
    """The doctrine's facts about companies, seen from one agency.

    Args:
        store: the graph store.
        agency: the asking agency's code.
        sirens: the companies; unknown ones come back with ``exists=False``.
    """
    rows = await read_keyed(store, _FACTS, list(dict.fromkeys(sirens)), {"agency": agency})
    return {
        r["siren"]: CompanyFacts(
            siren=r["siren"],
            exists=bool(r["exists"]),
            departement=r["departement"],
            listed=bool(r["listed"]),
            followed=bool(r["followed"]),
            intervening=bool(r["intervening"]),
            involved_agencies=frozenset(c for c in r["involved"] if c),
        )
        for r in rows
    }


def facts_loader(ctx: RequestContext) -> DataLoader[str, CompanyFacts]:
    """The request's loader of company facts (batched, cached per request).

    Args:
        ctx: the request context; the caller's agency is the point of view.
    """

    def build() -> DataLoader[str, CompanyFacts]:
        agency = ctx.me.agency

        async def load(sirens: list[str]) -> list[CompanyFacts]:
            found = await load_company_facts(ctx.store, agency, sirens)
            return [found.get(s) or CompanyFacts(s, exists=False) for s in sirens]

        return DataLoader(load_fn=load)

    return ctx.loader(("doctrine", "facts"), build)
