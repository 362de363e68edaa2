"""Reads a company's structure from the graph: establishments, group, owners, directors.

All public (Sirene, tetes_de_groupe, liens capitalistiques, dirigeants), all
batched: one query per kind for every company the operation asks about.
Persons are returned by name only (no birth year, no internal id).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph_api.company.service import IDENTITY_MAP, identity_row
from graph_api.db import read_keyed
from graphstore.store import AsyncGraphStore

MAX_ESTABLISHMENTS = 500
"""Establishments returned per company (head office first, then active ones)."""

MAX_MEMBERS = 200
"""Group members returned per group (the total is given too)."""

# The establishments of company ``c`` (head office first, then active ones), up to ``$cap``;
# the caller names the collected list after ``AS``.
_ESTABLISHMENTS_OF_C: LiteralString = """
  MATCH (e:Establishment)-[:PART_OF]->(c)
  WITH e ORDER BY coalesce(e.siret = c.head_office_siret OR e.head_office, false) DESC,
                  coalesce(e.active, false) DESC, e.siret ASC
  LIMIT $cap
  RETURN collect(e {.siret, .nic, .name, .created_on, .headcount_band, .postal_code, .commune, .commune_code,
                    .departement, .naf, .active, .pseudo_siret,
                    head_office: coalesce(e.siret = c.head_office_siret OR e.head_office, false)}) AS """

_ESTABLISHMENTS: LiteralString = (
    """
UNWIND $sirens AS siren
MATCH (c:Company {siren: siren})
CALL (c) {"""
    + _ESTABLISHMENTS_OF_C
    + """rows
}
RETURN siren, rows
"""
)

_GROUPS: LiteralString = """
UNWIND $sirens AS siren
MATCH (:Company {siren: siren})-[m:MEMBER_OF]->(g:Group)
RETURN siren, g.id AS id, g.name AS name, coalesce(m.reference_date, g.reference_date) AS reference_date
"""

_MEMBERS: LiteralString = """
UNWIND $groups AS gid
MATCH (g:Group {id: gid})
CALL (g) {
  MATCH (c:Company)-[:MEMBER_OF]->(g)
  WITH c ORDER BY c.siren
  RETURN count(c) AS total, collect(c.siren)[0..$cap] AS sirens
}
RETURN gid, total, sirens
"""

# Current links first (no `until`, or one still to come), then the most recent.
_LINKS_HEAD: LiteralString = """
UNWIND $sirens AS siren
MATCH (c:Company {siren: siren})
CALL (c) {
  MATCH (x)-[r:"""
_LINKS_TAIL: LiteralString = """]->(c) WHERE x:Company OR x:Person
  RETURN x, r
  ORDER BY (r.until IS NULL OR r.until >= date()) DESC, r.since DESC
  LIMIT $cap
}
RETURN siren,
       CASE WHEN x:Company THEN 'COMPANY' ELSE 'PERSON' END AS kind,
       x.siren AS company_siren, x.last_name AS last_name, x.first_names AS first_names,
       r.percentage AS percentage, r.nature AS nature, r.role AS role, r.since AS since, r.until AS until,
       r.until IS NULL OR r.until >= date() AS current
"""
_OWNERS: LiteralString = _LINKS_HEAD + "OWNS" + _LINKS_TAIL
_DIRECTORS: LiteralString = _LINKS_HEAD + "DIRECTS" + _LINKS_TAIL

MAX_LINKS = 200
"""Owners or directors returned per company."""


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _row(r: dict[str, Any]) -> dict[str, Any]:
    return {k: _native(v) for k, v in r.items()}


async def establishments(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The establishments of each company, head office first, then active ones, then by SIRET."""
    rows = await read_keyed(store, _ESTABLISHMENTS, sirens, {"cap": MAX_ESTABLISHMENTS})
    return {r["siren"]: [_row(e) for e in r["rows"]] for r in rows}


async def groups(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The group of each company that belongs to one."""
    rows = await read_keyed(store, _GROUPS, sirens)
    return {r["siren"]: _row(r) for r in rows}


async def group_members(store: AsyncGraphStore, group_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The members of each group: their total and the first ``MAX_MEMBERS`` SIRENs."""
    rows = await read_keyed(store, _MEMBERS, group_ids, {"cap": MAX_MEMBERS}, keys_param="groups", key_column="gid")
    return {r["gid"]: {"total": int(r["total"]), "sirens": list(r["sirens"])} for r in rows}


async def _links(
    store: AsyncGraphStore, query: LiteralString, sirens: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    rows = await read_keyed(store, query, sirens, {"cap": MAX_LINKS})
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["siren"], []).append(_row(r))
    return out


async def owners(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Who owns each company (OWNS): current links first, with percentage, nature and dates."""
    return await _links(store, _OWNERS, sirens)


async def directors(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Who directs each company (DIRECTS): current links first, with role and dates."""
    return await _links(store, _DIRECTORS, sirens)


_PROCEDURES: LiteralString = """
UNWIND $sirens AS siren
MATCH (:Company {siren: siren})-[:SUBJECT_OF]->(p:ProcedureCollective)
RETURN siren, p.id AS id, p.kind AS kind, p.stage AS stage, p.judgment_date AS judgment_date, p.nature AS nature
ORDER BY siren, p.judgment_date DESC, p.id
"""


async def procedures(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The insolvency judgments of each company (BODACC, URSSAF), newest first."""
    rows = await read_keyed(store, _PROCEDURES, sirens)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["siren"], []).append(_row(r))
    return out


_LINK_ORDER: LiteralString = "ORDER BY (r.until IS NULL OR r.until >= date()) DESC, r.since DESC LIMIT $links"
_LINK_MAP: LiteralString = """{siren: c.siren, kind: CASE WHEN x:Company THEN 'COMPANY' ELSE 'PERSON' END,
    company_siren: x.siren, last_name: x.last_name, first_names: x.first_names,
    percentage: r.percentage, nature: r.nature, role: r.role, since: r.since, until: r.until,
    current: r.until IS NULL OR r.until >= date()}"""

_PAGE: LiteralString = (
    """
UNWIND $sirens AS siren
MATCH (c:Company {siren: siren})
CALL (c) {"""
    + _ESTABLISHMENTS_OF_C
    + """establishments
}
CALL (c) {
  MATCH (c)-[m:MEMBER_OF]->(g:Group)
  RETURN collect({siren: c.siren, id: g.id, name: g.name,
                  reference_date: coalesce(m.reference_date, g.reference_date)}) AS groups
}
CALL (c) {
  MATCH (x)-[r:OWNS]->(c) WHERE x:Company OR x:Person
  WITH c, x, r """
    + _LINK_ORDER
    + """
  RETURN collect("""
    + _LINK_MAP
    + """) AS owners
}
CALL (c) {
  MATCH (x)-[r:DIRECTS]->(c) WHERE x:Company OR x:Person
  WITH c, x, r """
    + _LINK_ORDER
    + """
  RETURN collect("""
    + _LINK_MAP
    + """) AS directors
}
RETURN siren, """
    + IDENTITY_MAP
    + """ AS identity, establishments, groups, owners, directors
"""
)


async def pages(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Identity, establishments, group, owners and directors of each known company, in **one** read.

    What ``company.service.identities``, ``establishments``, ``groups``, ``owners`` and
    ``directors`` answer, row for row (same orders and caps), for a page that shows
    them all: one statement instead of five. Unknown SIRENs are absent.

    Returns:
        Per SIREN: ``identity`` (an identity row), ``establishments`` (list), ``group``
        (a row or None), ``owners`` and ``directors`` (lists of rows).
    """
    rows = await read_keyed(store, _PAGE, sirens, {"cap": MAX_ESTABLISHMENTS, "links": MAX_LINKS})
    return {
        r["siren"]: {
            "identity": identity_row(r["identity"]),
            "establishments": [_row(e) for e in r["establishments"]],
            "group": _row(r["groups"][-1]) if r["groups"] else None,
            "owners": [_row(o) for o in r["owners"]],
            "directors": [_row(d) for d in r["directors"]],
        }
        for r in rows
    }
