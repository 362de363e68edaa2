"""Reads related companies and failure impact from the graph (bounded, parameterised Cypher).

A hop links two companies: directly (OWNS, DIRECTS by a company, SUPPLIES) or
through a shared Person (owner or director) or a shared Group. ``related`` runs
the whole breadth-first search in one Cypher statement and returns only the
total and the first candidates; ``links`` then reads the links of the returned
page's hops (``paths.py`` turns them into hops and weights).

The search, level by level (at most three):

- a company's level is its fewest hops from the origin; its kept path has the
  highest dependency (product of the hop weights of ``paths.py``) among the
  paths through the kept paths of the level before, ties going to the smaller
  sequence of companies it passes through (by SIREN);
- the links through a person or a group all weigh the same, so each person or
  group is reached once, from the best company of the frontier that touches it,
  and widened once: a group of *n* members costs *n* rows, not *n*²;
- a level is widened only from a frontier of at most ``FRONTIER_LIMIT``
  companies (the nearer levels are then complete, the farther ones absent).

The candidates come back ranked by dependency (then hops, then SIREN), which
bounds the ranking by exposure: a partner's exposure (p12 × dependency) is never
above its dependency.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graph_api.exposure import paths
from graph_api.exposure.linkgraph import FRONTIER_LIMIT, Candidate
from graphstore.store import AsyncGraphStore

_LINKED: LiteralString = "OWNS|DIRECTS|MEMBER_OF|SUPPLIES"

_HOP: LiteralString = """
CALL (<F>, <S>, t) {
  UNWIND (CASE WHEN size(<F>) <= $frontier_limit THEN <F> ELSE [] END) AS f
  WITH f.c AS p, f.dep AS dep, f.chain AS chain
  MATCH (p)-[r:LINKED]-(y)
  WHERE (r.until IS NULL OR r.until >= date()) AND NOT y IN <S>
  WITH y, y:Company AS co, chain, r, p, dep
  WITH y, co, chain, dep * CASE WHEN NOT co THEN CASE WHEN y:Group THEN $group_weight ELSE $person_weight END
                                WHEN type(r) = 'SUPPLIES' THEN coalesce(CASE WHEN startNode(r) = p
                                     THEN r.supplier_dependency ELSE r.client_dependency END, 0.0)
                                WHEN type(r) = 'OWNS' THEN coalesce(r.percentage, 0.0) / 100.0
                                ELSE $director_weight END AS d
  WITH y, co, max(d) AS md, collect(CASE WHEN d > t THEN [d, chain] END) AS cs
  WITH y, co, md, reduce(b = null, c IN cs | CASE WHEN c[0] = md AND (b IS NULL OR c[1] < b) THEN c[1] ELSE b END) AS mk
  OPTIONAL MATCH (y)-[r2:LINKED]-(x:Company)
  WHERE NOT co AND (r2.until IS NULL OR r2.until >= date()) AND NOT x IN <S>
  WITH CASE WHEN co THEN y ELSE x END AS x, md AS d, mk AS k
  WHERE x IS NOT NULL
  WITH x, max(d) AS bd, collect(CASE WHEN d > t THEN [d, k] END) AS cs
  WITH x, bd, reduce(b = null, c IN cs | CASE WHEN c[0] = bd AND (b IS NULL OR c[1] < b) THEN c[1] ELSE b END) AS bk
  <RETURN>
}
""".replace("LINKED", _LINKED)
"""One level: from the frontier ``F`` (maps ``{c, dep, chain}``; ``chain`` is the SIRENs from the
origin, space-separated, which sorts like the list of SIRENs), the companies not in ``S`` (every
company of the levels before), each with its best dependency (a hop through a person or group
weighs the same whatever the companies, so it is applied at the person or group) and chain.

The chains of the last level are kept only above ``t``, the ``$first``-th dependency of the
levels before: a company of the last level at or below it comes after those ``$first`` (same
or lower dependency, more hops), so it is only counted."""

_NEXT: LiteralString = "RETURN collect({c: x, dep: bd, chain: bk + ' ' + x.siren}) AS <NEXT>\n"
_LAST: LiteralString = (
    "RETURN count(x) AS counted, collect(CASE WHEN bd > t THEN [x.siren, <HOPS>, bd, bk + ' ' + x.siren] END) AS last\n"
)


_THRESHOLD: LiteralString = """WITH *, CASE WHEN size(ds) >= $first
  THEN COLLECT { UNWIND ds AS d RETURN percentileDisc(d, 1.0 - toFloat($first) / size(ds)) AS q }[0] END AS q
WITH *, CASE WHEN size([d IN ds WHERE d >= q]) >= $first THEN q ELSE -1.0 END AS t
"""
"""``t``: a dependency that at least ``$first`` companies of the levels before reach (a quantile,
checked; -1 when there is none), so the last level's companies at or below it are only counted."""


def _related_query(levels: int) -> LiteralString:
    q: LiteralString = (
        "MATCH (a:Company {siren: $siren})\nWITH a, [{c: a, dep: 1.0, chain: a.siren}] AS f0, [a] AS s0, -1.0 AS t\n"
    )
    names = ["f1", "f2", "f3"][:levels]
    hops = ["1", "2", "3"]
    for k, name in enumerate(names):
        prev, seen = ["f0", "f1", "f2"][k], ["s0", "s1", "s2"][k]
        last = k + 1 == levels
        ret = _LAST.replace("<HOPS>", hops[k]) if last else _NEXT.replace("<NEXT>", name)
        q += _HOP.replace("<RETURN>", ret).replace("<F>", prev).replace("<S>", seen)
        if not last:
            done = names[: k + 1]
            q += "WITH a, " + ", ".join(done) + ", " + seen + " + [e IN " + name + " | e.c] AS " + ["s1", "s2"][k]
            if k + 2 == levels:
                q += ", [e IN " + " + ".join(done) + " | e.dep] AS ds\n" + _THRESHOLD
            else:
                q += ", -1.0 AS t\n"
    before = names[:-1]
    q += "WITH " + "".join("size(" + n + ") + " for n in before) + "counted AS total, "
    q += "".join(
        "[e IN " + n + " | [e.c.siren, " + h + ", e.dep, e.chain]] + " for n, h in zip(before, hops, strict=False)
    )
    q += """last AS found
UNWIND found AS e
WITH total, e ORDER BY e[2] DESC, e[1] ASC, e[0] ASC
WITH total, collect(e) AS ranked
RETURN total, ranked[0..$first] AS top
"""
    return q


_IMPACT: LiteralString = """
MATCH (c:Company {siren: $siren})
CALL (c) {
  MATCH (s:Company)-[r:SUPPLIES]->(c)
  RETURN s AS x, 'SUPPLIER' AS relation, r.supplier_dependency AS dependency, r.amount_12m AS amount
  UNION ALL
  MATCH (c)-[r:SUPPLIES]->(cl:Company)
  RETURN cl AS x, 'CLIENT' AS relation, r.client_dependency AS dependency, r.amount_12m AS amount
  UNION ALL
  // a member sharing several groups with c is hit once
  MATCH (c)-[:MEMBER_OF]->(:Group)<-[:MEMBER_OF]-(m:Company) WHERE m <> c
  RETURN DISTINCT m AS x, 'GROUP_MEMBER' AS relation, null AS dependency, null AS amount
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


_RELATED: dict[int, LiteralString] = {levels: _related_query(levels) for levels in (1, 2, 3)}

_LINKS: LiteralString = """
UNWIND $pairs AS pair
MATCH (u:Company {siren: pair[0]}), (v:Company {siren: pair[1]})
// two patterns rather than one of variable length: with both ends bound, each is
// expanded into from the smaller side, not through every member of a large group
CALL (u, v) {
  MATCH p = (u)-[r:LINKED]-(v)
  WHERE r.until IS NULL OR r.until >= date()
  RETURN p
  UNION ALL
  MATCH p = (u)-[r1:LINKED]-(m)-[r2:LINKED]-(v)
  WHERE NOT m:Company AND (r1.until IS NULL OR r1.until >= date()) AND (r2.until IS NULL OR r2.until >= date())
  RETURN p
}
WITH pair, p, relationships(p)[0] AS r0, nodes(p)[1] AS m
WITH pair, p, CASE WHEN length(p) = 2 THEN CASE WHEN m:Group THEN $group_weight ELSE $person_weight END
                   WHEN type(r0) = 'SUPPLIES' THEN coalesce(CASE WHEN startNode(r0) = nodes(p)[0]
                        THEN r0.supplier_dependency ELSE r0.client_dependency END, 0.0)
                   WHEN type(r0) = 'OWNS' THEN coalesce(r0.percentage, 0.0) / 100.0
                   ELSE $director_weight END AS w,
     CASE WHEN length(p) = 1 THEN '' WHEN m:Group THEN 'GROUP ' + coalesce(m.id, '') ELSE 'PERSON' END AS via,
     [r IN relationships(p) | [type(r), startNode(r) = nodes(p)[0], coalesce(r.role, ''),
                               toString(coalesce(r.percentage, ''))]] AS described,
     [r IN relationships(p) | elementId(r)] AS ids
ORDER BY w DESC, length(p) ASC, via ASC, described ASC, ids ASC
WITH pair, collect(p)[0] AS p
RETURN pair[0] AS from_siren, pair[1] AS to_siren,
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
""".replace("LINKED", _LINKED)
"""The heaviest link of each (from, to) pair of companies (direct or through one person or group);
between links of the same weight, a direct one, then through a group (by id), then the rest in a
fixed order."""


def _weights() -> dict[str, float]:
    return {
        "director_weight": paths.DIRECTOR_WEIGHT,
        "person_weight": paths.SHARED_PERSON_WEIGHT,
        "group_weight": paths.SAME_GROUP_WEIGHT,
    }


async def related(store: AsyncGraphStore, siren: str, max_hops: int, first: int) -> tuple[int, list[Candidate]]:
    """The companies within ``max_hops`` of ``siren``: their number, and the ``first`` of them by
    dependency (highest first), then hops, then SIREN."""
    params = {"siren": siren, "first": first, "frontier_limit": FRONTIER_LIMIT, **_weights()}
    rows = await store.read(_RELATED[max_hops], params)
    if not rows:
        return 0, []
    top = [Candidate(e[0], int(e[1]), float(e[2]), tuple(e[3].split(" "))) for e in rows[0]["top"]]
    return int(rows[0]["total"]), top


async def links(store: AsyncGraphStore, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], paths.Hop]:
    """The hop kept between each pair of companies (the heaviest link); a pair no longer linked is absent."""
    if not pairs:
        return {}
    rows = await store.read(_LINKS, {"pairs": [list(p) for p in pairs], **_weights()})
    out: dict[tuple[str, str], paths.Hop] = {}
    for r in rows:
        if r["nodes"]:
            out[(r["from_siren"], r["to_siren"])] = paths.hops_of(r["nodes"], r["rels"])[0]
    return out


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
