"""Reads company identities and scores from the graph, many companies per query.

No access decision is made here: callers (the loaders) only ask for companies the
doctrine already cleared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graphstore.store import AsyncGraphStore

_IDENTITY = """
UNWIND $sirens AS siren
MATCH (c:Company {siren: siren})
RETURN c.siren AS siren, c.name AS name, c.created_on AS created_on, c.headcount_band AS headcount_band,
       c.legal_form AS legal_form, c.naf AS naf, c.category AS category, c.active AS active,
       c.head_office_siret AS head_office_siret, c.departement AS departement, c.region AS region,
       c.public_sector AS public_sector
"""

_SCORES = """
UNWIND $sirens AS siren
MATCH (s:Score)-[:FOR]->(:Company {siren: siren})
RETURN siren, s.period AS period, s.p12 AS p12, s.p18 AS p18, s.p24 AS p24,
       s.model_version AS model_version, s.alert AS alert, s.explanation AS explanation
ORDER BY siren, s.period DESC
"""


def _native(value: Any) -> Any:
    # neo4j.time.Date/DateTime -> datetime.date/datetime
    return value.to_native() if hasattr(value, "to_native") else value


async def identities(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The Sirene identity of each known company (unknown SIRENs are absent)."""
    rows = await store.read(_IDENTITY, {"sirens": list(sirens)})
    return {r["siren"]: {k: _native(v) for k, v in r.items()} for r in rows}


def _explanation(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return {"text": raw}
    return raw


async def scores(store: AsyncGraphStore, sirens: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Every score of each company, newest period first (empty list when none)."""
    rows = await store.read(_SCORES, {"sirens": list(sirens)})
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in sirens}
    for r in rows:
        out[r["siren"]].append({**r, "explanation": _explanation(r["explanation"])})
    return out
