"""Reads related companies and failure impact from the graph (bounded, parameterised Cypher).

A hop links two companies: directly (OWNS, DIRECTS by a company, SUPPLIES) or
through a shared Person (owner or director) or a shared Group. Paths are read with
a bounded variable-length pattern (two relationships per hop at most) and a LIMIT
on the number of paths; ``paths.py`` turns them into hops and weights.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

_HEAD: LiteralString = """
MATCH (c:Company {siren: $siren})
MATCH p = (c)-[:OWNS|DIRECTS|MEMBER_OF|SUPPLIES"""

_TAIL: LiteralString = """]-(x:Company)
WHERE x <> c
  AND all(r IN relationships(p) WHERE r.until IS NULL OR r.until >= date())
  AND size([n IN nodes(p) WHERE n:Company]) - 1 <= $max_hops
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
WITH x, p LIMIT $path_limit
RETURN x.siren AS siren,
  [n IN nodes(p) | CASE WHEN n:Company THEN {kind: 'COMPANY', key: n.siren}
                        WHEN n:Group THEN {kind: 'GROUP', key: n.id}
                        ELSE {kind: 'PERSON', key: null} END] AS nodes,
  [i IN range(0, length(p) - 1) | {
     type: type(relationships(p)[i]),
     out: startNode(relationships(p)[i]) = nodes(p)[i],
     percentage: relationships(p)[i].percentage,
     role: relationships(p)[i].role,
     supplier_dependency: relationships(p)[i].supplier_dependency,
     client_dependency: relationships(p)[i].client_dependency,
     amount_12m: relationships(p)[i].amount_12m
  }] AS rels
"""

RELATED: dict[int, LiteralString] = {
    1: _HEAD + "*1..2" + _TAIL,
    2: _HEAD + "*1..4" + _TAIL,
    3: _HEAD + "*1..6" + _TAIL,
}
"""The query per maximum number of hops (a Cypher length bound cannot be a parameter)."""

PATH_LIMIT = 20_000
"""The most paths read for one company (the graph search stops there)."""

_IMPACT: LiteralString = """
MATCH (c:Company {siren: $siren})
CALL (c) {
  MATCH (s:Company)-[r:SUPPLIES]->(c)
  RETURN s AS x, 'SUPPLIER' AS relation, r.supplier_dependency AS dependency, r.amount_12m AS amount
  UNION ALL
  MATCH (c)-[r:SUPPLIES]->(cl:Company)
  RETURN cl AS x, 'CLIENT' AS relation, r.client_dependency AS dependency, r.amount_12m AS amount
  UNION ALL
  MATCH (c)-[:MEMBER_OF]->(:Group)<-[:MEMBER_OF]-(m:Company) WHERE m <> c
  RETURN m AS x, 'GROUP_MEMBER' AS relation, null AS dependency, null AS amount
  UNION ALL
  MATCH (c)-[o:OWNS]->(sub:Company) WHERE o.until IS NULL OR o.until >= date()
  RETURN sub AS x, 'SUBSIDIARY' AS relation, o.percentage / 100.0 AS dependency, null AS amount
}
WITH x.siren AS siren, relation, dependency, amount
ORDER BY coalesce(dependency, 0.0) DESC, siren ASC, relation ASC
WITH collect({siren: siren, relation: relation, dependency: dependency, amount: amount}) AS hits
RETURN size(hits) AS total, hits[0..$limit] AS page
"""

_LATEST_P12: LiteralString = """
UNWIND $sirens AS siren
MATCH (s:Score)-[:FOR]->(:Company {siren: siren})
WITH siren, s ORDER BY s.period DESC
WITH siren, collect(s.p12)[0] AS p12
RETURN siren, p12
"""


async def related_paths(store: AsyncGraphStore, siren: str, max_hops: int) -> list[dict[str, Any]]:
    """Every path (up to ``PATH_LIMIT``) from the company to a company within ``max_hops`` hops."""
    return await store.read(RELATED[max_hops], {"siren": siren, "max_hops": max_hops, "path_limit": PATH_LIMIT})


async def impact(store: AsyncGraphStore, siren: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """The companies hit if ``siren`` fails, most dependent first, and their total."""
    rows = await store.read(_IMPACT, {"siren": siren, "limit": limit})
    if not rows:
        return 0, []
    return int(rows[0]["total"]), list(rows[0]["page"])


async def latest_p12(store: AsyncGraphStore, sirens: list[str]) -> dict[str, float | None]:
    """The p12 of each company's latest score (only call for companies cleared for the score block)."""
    if not sirens:
        return {}
    rows = await store.read(_LATEST_P12, {"sirens": sirens})
    return {r["siren"]: r["p12"] for r in rows}
