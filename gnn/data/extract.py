"""Reads the dated graph out of Neo4j once: one Cypher query per node or edge type.

Every snapshot is then cut from these tables in memory (``gnn.data.snapshot``), so
48 monthly snapshots cost six queries, not 48 x 6, and never one query per node.
Dates come back as ``YYYY-MM-DD`` strings (``toString(date(...))`` accepts both
native dates and ISO strings) and are kept as integer days since 1970-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

import numpy as np
import pandas as pd

from graphstore.store import GraphStore

# Sentinels for open bounds: a missing `since`/`known_on` is "always", a missing `until` is "never".
ALWAYS = np.int64(-(10**7))
NEVER = np.int64(10**7)

_COMPANIES: LiteralString = """
MATCH (c:Company)
RETURN c.siren AS siren, c.naf AS naf, c.legal_form AS legal_form, c.headcount_band AS headcount_band,
       toString(date(c.created_on)) AS created_on, toString(date(coalesce(c.first_known_on, c.known_on))) AS known_on
"""

_PROCEDURES: LiteralString = """
MATCH (p:ProcedureCollective)
OPTIONAL MATCH (c:Company)-[:SUBJECT_OF]->(p)
RETURN coalesce(c.siren, p.siren) AS siren, p.kind AS kind,
       toString(date(p.judgment_date)) AS judgment_date, toString(date(coalesce(p.first_known_on, p.known_on))) AS known_on
"""

_SUPPLIES: LiteralString = """
MATCH (s:Company)-[r:SUPPLIES]->(c:Company)
RETURN s.siren AS src, c.siren AS dst, toString(date(r.since)) AS since,
       toString(date(r.last_month)) AS last_month, toString(date(coalesce(r.first_known_on, r.known_on))) AS known_on,
       toFloat(r.supplier_dependency) AS supplier_dependency, toFloat(r.client_dependency) AS client_dependency
"""

# Owners and directors are persons or companies; `src_type` says which key `src` is.
_OWNS: LiteralString = """
MATCH (o)-[r:OWNS]->(c:Company)
WHERE o:Person OR o:Company
RETURN CASE WHEN o:Company THEN 'company' ELSE 'person' END AS src_type,
       CASE WHEN o:Company THEN o.siren ELSE o.id END AS src, c.siren AS dst,
       toFloat(r.percentage) AS weight, toString(date(r.since)) AS since,
       toString(date(r.until)) AS until, toString(date(coalesce(r.first_known_on, r.known_on))) AS known_on
"""

_DIRECTS: LiteralString = """
MATCH (o)-[r:DIRECTS]->(c:Company)
WHERE o:Person OR o:Company
RETURN CASE WHEN o:Company THEN 'company' ELSE 'person' END AS src_type,
       CASE WHEN o:Company THEN o.siren ELSE o.id END AS src, c.siren AS dst,
       1.0 AS weight, toString(date(r.since)) AS since,
       toString(date(r.until)) AS until, toString(date(coalesce(r.first_known_on, r.known_on))) AS known_on
"""

# Membership has no validity interval in the model: it exists from the day it is known.
_MEMBER_OF: LiteralString = """
MATCH (c:Company)-[r:MEMBER_OF]->(g:Group)
RETURN c.siren AS src, g.id AS dst, toString(date(coalesce(r.first_known_on, r.known_on))) AS known_on
"""


def days(values: Any, missing: np.int64) -> np.ndarray:
    """ISO dates (strings, dates or None) to int64 days since 1970-01-01.

    Args:
        values: a sequence or Series of dates.
        missing: the value for a missing or unreadable date.
    """
    parsed = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", format="mixed")
    out = np.full(len(parsed), missing, dtype=np.int64)
    ok = parsed.notna().to_numpy()
    if ok.any():
        out[ok] = parsed[ok].to_numpy().astype("datetime64[D]").astype(np.int64)
    return out


def day(d: date) -> np.int64:
    """One date as int64 days since 1970-01-01."""
    return np.int64(np.datetime64(d, "D").astype(np.int64))


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _dated(df: pd.DataFrame, spec: dict[str, np.int64]) -> pd.DataFrame:
    for col, missing in spec.items():
        df[col] = days(df[col], missing)
    return df


@dataclass(frozen=True)
class TemporalGraph:
    """The whole dated graph, as read once from Neo4j.

    Attributes:
        companies: siren, naf, legal_form, headcount_band, created_on, known_on.
        procedures: siren, kind, judgment_date, known_on.
        supplies: src (supplier), dst (client), since, last_month, known_on,
            supplier_dependency, client_dependency.
        owns: src_type, src, dst, weight (percentage), since, until, known_on.
        directs: src_type, src, dst, weight (1), since, until, known_on.
        member_of: src (company), dst (group id), known_on.
    """

    companies: pd.DataFrame
    procedures: pd.DataFrame
    supplies: pd.DataFrame
    owns: pd.DataFrame
    directs: pd.DataFrame
    member_of: pd.DataFrame

    def earliest_known(self) -> date | None:
        """The first day anything in the graph is known (bounds the training history)."""
        known = [
            df["known_on"].to_numpy()
            for df in (self.companies, self.supplies, self.owns, self.directs, self.member_of)
            if len(df)
        ]
        if not known:
            return None
        values = np.concatenate(known)
        values = values[values > ALWAYS]
        if not len(values):
            return None
        return date.fromordinal(date(1970, 1, 1).toordinal() + int(values.min()))


def read_temporal_graph(store: GraphStore) -> TemporalGraph:
    """Reads companies, procedures and the dated edges: six read queries in all.

    Args:
        store: the graph store.
    """
    companies = _frame(
        store.read(_COMPANIES), ["siren", "naf", "legal_form", "headcount_band", "created_on", "known_on"]
    )
    companies = companies[companies["siren"].notna()].drop_duplicates("siren").reset_index(drop=True)
    _dated(companies, {"created_on": ALWAYS, "known_on": ALWAYS})

    procedures = _frame(store.read(_PROCEDURES), ["siren", "kind", "judgment_date", "known_on"])
    procedures = procedures[procedures["siren"].notna()].reset_index(drop=True)
    # A procedure without a judgment date cannot be placed in time: it never counts.
    _dated(procedures, {"judgment_date": NEVER, "known_on": ALWAYS})

    supplies = _frame(
        store.read(_SUPPLIES),
        ["src", "dst", "since", "last_month", "known_on", "supplier_dependency", "client_dependency"],
    )
    _dated(supplies, {"since": ALWAYS, "last_month": NEVER, "known_on": ALWAYS})
    for col in ("supplier_dependency", "client_dependency"):
        supplies[col] = supplies[col].astype(float).fillna(0.0).clip(0.0, 1.0)

    link_cols = ["src_type", "src", "dst", "weight", "since", "until", "known_on"]
    owns = _dated(_frame(store.read(_OWNS), link_cols), {"since": ALWAYS, "until": NEVER, "known_on": ALWAYS})
    # Percentages are 0-100; an unknown one counts as a full link rather than none.
    owns["weight"] = (owns["weight"].astype(float).fillna(100.0) / 100.0).clip(0.0, 1.0)
    directs = _dated(_frame(store.read(_DIRECTS), link_cols), {"since": ALWAYS, "until": NEVER, "known_on": ALWAYS})
    directs["weight"] = directs["weight"].astype(float)
    member_of = _dated(_frame(store.read(_MEMBER_OF), ["src", "dst", "known_on"]), {"known_on": ALWAYS})
    return TemporalGraph(companies, procedures, supplies, owns, directs, member_of)
