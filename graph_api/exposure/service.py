"""Reads related companies and failure impact from the graph (bounded, parameterised Cypher).

A hop links two companies: directly (OWNS, DIRECTS by a company, SUPPLIES) or
through a shared Person (owner or director) or a shared Group. Related companies
are read breadth first, one query per hop (at most three), each a bounded
variable-length pattern (one or two relationships) with a LIMIT: the nearest
partners are always read first, whatever the size of the groups further out;
``paths.py`` turns the links into hops and weights.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

_STEP: LiteralString = """
UNWIND $frontier AS origin
MATCH (a:Company {siren: origin})
MATCH p = (a)-[:OWNS|DIRECTS|MEMBER_OF|SUPPLIES*1..2]-(x:Company)
WHERE x <> a AND NOT x.siren IN $seen
  AND (length(p) = 1 OR NOT nodes(p)[1]:Company)
  AND all(r IN relationships(p) WHERE r.until IS NULL OR r.until >= date())
WITH origin, x, p LIMIT $step_limit
RETURN origin, x.siren AS siren,
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

STEP_LIMIT = 20_000
"""The most links read per hop (the search stops widening there)."""

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


async def step(store: AsyncGraphStore, frontier: list[str], seen: list[str]) -> list[dict[str, Any]]:
    """One hop out of ``frontier``: every link (direct, or through one person or group) to a company
    not in ``seen``, up to ``STEP_LIMIT``."""
    if not frontier:
        return []
    return await store.read(_STEP, {"frontier": frontier, "seen": seen, "step_limit": STEP_LIMIT})


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


_TRADE: LiteralString = """
UNWIND $sirens AS origin
MATCH (c:Company {siren: origin})
CALL (c) {
  MATCH (c)-[r:SUPPLIES]->(x:Company)
  RETURN 'SALES' AS side, x, r.supplier_dependency AS share, r.amount_12m AS amount
  UNION ALL
  MATCH (x:Company)-[r:SUPPLIES]->(c)
  RETURN 'PURCHASES' AS side, x, r.client_dependency AS share, r.amount_12m AS amount
}
RETURN origin, side, x.siren AS siren, share, amount,
       EXISTS { (x)-[:SUBJECT_OF]->(:ProcedureCollective) } AS in_procedure
"""

_LATEST_ALERT: LiteralString = """
UNWIND $sirens AS siren
MATCH (:Company {siren: siren})
RETURN siren, COLLECT { MATCH (s:Score)-[:FOR]->(:Company {siren: siren})
                        RETURN s.alert ORDER BY s.period DESC LIMIT 1 }[0] AS alert
"""


async def trade_partners(store: AsyncGraphStore, sirens: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each company's clients (side SALES: their share of its sales) and suppliers (side PURCHASES:
    their share of its purchases), with the 12-month amount and whether they are in a procedure."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in sirens}
    for r in await store.read(_TRADE, {"sirens": sirens}):
        out[r["origin"]].append(r)
    return out


async def latest_alerts(store: AsyncGraphStore, sirens: list[str]) -> dict[str, str | None]:
    """The alert level of each company's latest score (only call for companies cleared for the score block)."""
    if not sirens:
        return {}
    rows = await store.read(_LATEST_ALERT, {"sirens": sirens})
    return {r["siren"]: r["alert"] for r in rows}
