"""Reads search hits from the graph: full text on ``company_name``, exact SIREN/SIRET, filters.

The user's text never reaches Cypher: it is escaped for Lucene and passed as a
parameter, like every filter. Hits are ordered (relevance, then SIREN) and cut
with an offset, so a cursor is the offset of the next hit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph_api.company.service import IDENTITY_MAP, identity_row
from graph_api.pagination import OffsetCursor
from graphstore.store import AsyncGraphStore

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_WORD = re.compile(r"\w+", re.UNICODE)
_SIREN = re.compile(r"^\d{9}$")
_SIRET = re.compile(r"^\d{14}$")

_FILTERS: LiteralString = """
WHERE ($deps IS NULL OR c.departement IN $deps)
  AND ($naf IS NULL OR replace(coalesce(c.naf, ''), '.', '') STARTS WITH $naf)
  AND ($bands IS NULL OR c.headcount_band IN $bands)
  AND ($in_procedure IS NULL OR EXISTS { (c)-[:SUBJECT_OF]->(:ProcedureCollective) } = $in_procedure)
  AND ($followed IS NULL OR EXISTS {
        MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c) WHERE f.until IS NULL
      } = $followed)
  AND ($levels IS NULL OR (
        COLLECT { MATCH (s:Score)-[:FOR]->(c) RETURN s.alert ORDER BY s.period DESC LIMIT 1 }[0] IN $levels
        AND (
          (c.departement IN $zones AND EXISTS { MATCH (a:Alert)-[:FOR]->(c) WHERE a.listed = true })
          OR EXISTS { MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c) WHERE f.until IS NULL }
          OR EXISTS {
            MATCH (:Agency {code: $agency})-[p:PARTICIPATES_IN]->(i:Intervention)-[:ABOUT]->(c)
            WHERE p.left_at IS NULL AND coalesce(i.status, 'open') <> 'closed'
          }
        )
      ))
"""
# The alert level is part of the scores block: the level filter only ever matches
# companies whose score block the doctrine grants the caller (the bases of
# docs/access.md, the same as graph_api.doctrine.facts); the resolver requires the
# `score` role and has each returned company decided and audited.

_PAGE: LiteralString = (
    """
WITH c, score ORDER BY score DESC, c.siren ASC
WITH collect({c: c, score: score}) AS hits
RETURN size(hits) AS total,
       [h IN hits[$skip..$skip + $limit] | {siren: h.c.siren, score: h.score, identity: head([c IN [h.c] | """
    + IDENTITY_MAP
    + """])}] AS page
"""
)

_FULLTEXT: LiteralString = (
    "CALL db.index.fulltext.queryNodes('company_name', $text, {limit: $max_hits}) YIELD node AS c, score\n"
    + _FILTERS
    + _PAGE
)
_BY_SIREN: LiteralString = "MATCH (c:Company {siren: $siren}) WITH c, null AS score\n" + _FILTERS + _PAGE
_ALL: LiteralString = "MATCH (c:Company) WITH c, null AS score\n" + _FILTERS + _PAGE

MAX_HITS = 10_000
"""The most full-text hits considered (the total is capped there)."""


@dataclass(frozen=True)
class Filters:
    """Search filters, already normalised (None: not filtered)."""

    departements: list[str] | None = None
    naf_prefix: str | None = None
    size_bands: list[str] | None = None
    in_procedure: bool | None = None
    followed: bool | None = None
    alert_levels: list[str] | None = None


@dataclass(frozen=True)
class Hits:
    """One page of hits, the total, and the hits' identities (read with them)."""

    total: int
    page: list[tuple[str, float | None]]
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)


def _fold(word: str) -> str:
    """Lower case without accents, as the ``standard-folding`` analyzer indexes words.

    Needed for the prefix term (Lucene does not analyse wildcard terms), and it
    turns the operators AND, OR, NOT and TO into plain words.
    """
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def lucene_query(text: str) -> str | None:
    """A Lucene query matching every word of ``text`` (the last one also as a prefix).

    Words are folded and special characters escaped; None when ``text`` has no word.
    """
    terms = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in map(_fold, _WORD.findall(text)) if w]
    if not terms:
        return None
    last = terms[-1]
    terms[-1] = f"({last} OR {last}*)"
    return " AND ".join(terms)


CURSOR = OffsetCursor("search")
"""Cursors of this list's positions."""
encode_offset = CURSOR.encode
decode_offset = CURSOR.decode


def _params(filters: Filters, agency: str, zones: list[str], skip: int, limit: int) -> dict[str, Any]:
    naf = filters.naf_prefix.replace(".", "").strip() if filters.naf_prefix else None
    return {
        "deps": filters.departements or None,
        "naf": naf or None,
        "bands": filters.size_bands or None,
        "in_procedure": filters.in_procedure,
        "followed": filters.followed,
        "levels": filters.alert_levels,
        "zones": zones,
        "agency": agency,
        "skip": skip,
        "limit": limit,
        "max_hits": MAX_HITS,
    }


async def search(
    store: AsyncGraphStore,
    query: str,
    filters: Filters,
    agency: str,
    skip: int,
    limit: int,
    zones: list[str] | None = None,
) -> Hits:
    """Companies matching ``query`` and ``filters``.

    Args:
        store: the graph store.
        query: a name (full text, accent-insensitive), a SIREN (9 digits), a SIRET
            (14 digits: its company) or blank (filters only).
        filters: the filters.
        agency: the caller's agency (for ``followed`` and the alert-level filter's doctrine).
        skip: hits to skip.
        limit: hits to return.
        zones: the caller's départements (for the alert-level filter's doctrine).
    """
    params = _params(filters, agency, zones or [], skip, limit)
    text = query.strip()
    compact = text.replace(" ", "")
    if _SIREN.match(compact) or _SIRET.match(compact):
        rows = await store.read(_BY_SIREN, {**params, "siren": compact[:9]})
    elif text:
        lucene = lucene_query(text)
        if lucene is None:
            return Hits(0, [])
        rows = await store.read(_FULLTEXT, {**params, "text": lucene})
    else:
        rows = await store.read(_ALL, params)
    if not rows:
        return Hits(0, [])
    row = rows[0]
    page = row["page"]
    return Hits(
        int(row["total"]),
        [(h["siren"], h["score"]) for h in page],
        {h["siren"]: identity_row(h["identity"]) for h in page},
    )
