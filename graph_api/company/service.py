"""Reads company identities and scores from the graph, many companies per query.

No access decision is made here: callers (the loaders) only ask for companies the
doctrine already cleared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, LiteralString

from graph_api.db import read_keyed
from graphstore.store import AsyncGraphStore

IDENTITY_MAP: LiteralString = """c {.siren, .name, .created_on, .headcount_band, .legal_form, .naf, .category,
  .active, .head_office_siret, .departement, .region, .public_sector}"""
"""A company ``c``'s Sirene identity as a Cypher map (``identity_row`` makes it a row); other
statements (search) return it with their hits, so the page's identities cost no query of their own."""

_IDENTITY: LiteralString = (
    """
UNWIND $sirens AS siren
MATCH (c:Company {siren: siren})
RETURN siren, """
    + IDENTITY_MAP
    + " AS identity"
)

_SCORES: LiteralString = """
UNWIND $sirens AS siren
MATCH (s:Score)-[:FOR]->(:Company {siren: siren})
RETURN siren, s.period AS period, s.p12 AS p12, s.p18 AS p18, s.p24 AS p24,
       s.model_version AS model_version, s.alert AS alert, s.explanation AS explanation
ORDER BY siren, s.period DESC
"""


def _native(value: Any) -> Any:
    # neo4j.time.Date/DateTime -> datetime.date/datetime
    return value.to_native() if hasattr(value, "to_native") else value


_IDENTITY_KEYS = (
    "siren", "name", "created_on", "headcount_band", "legal_form", "naf", "category",
    "active", "head_office_siret", "departement", "region", "public_sector",
)  # fmt: skip


def identity_row(identity: dict[str, Any]) -> dict[str, Any]:
    """An identity row (every field present, Python dates) from an ``IDENTITY_MAP`` value."""
    return {k: _native(identity.get(k)) for k in _IDENTITY_KEYS}


async def identities(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The Sirene identity of each known company (unknown SIRENs are absent)."""
    rows = await read_keyed(store, _IDENTITY, sirens)
    found = (identity_row(r["identity"]) for r in rows)
    return {i["siren"]: i for i in found}


def _explanation(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return {"text": raw}
    return raw


async def scores(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Every score of each company, newest period first (empty list when none)."""
    rows = await read_keyed(store, _SCORES, sirens)
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in sirens}
    for r in rows:
        out[r["siren"]].append({**r, "explanation": _explanation(r["explanation"])})
    return out
