"""Distress signals and supplier flows as of month t, from the Parquet measure store.

The tables and their natural keys are those of ``graphstore.measures.tables``
(``<measures_dir>/<table>/delivery=<id>/*.parquet``). Every query keeps only rows
known by the end of t (``known_on``) and, for a key re-sent later, the latest
version known by then: a correction delivered after t is invisible at t.
A missing table simply yields no rows, so the GNN runs on a graph without measures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, LiteralString

import duckdb
import pandas as pd

from gnn.data.months import add_months, month_end
from graphstore.measures.tables import Table

# One full-time equivalent of short-time work is 151.67 hours a month (SOURCES.md, section 3).
FTE_HOURS = 151.67

_DEBT: LiteralString = """
WITH known AS (
  SELECT * FROM read_parquet($src, hive_partitioning = true, union_by_name = true)
  WHERE known_on <= $t_end AND processed_on <= $t_end
), current_state AS (
  SELECT siren, amount_po, amount_pp FROM known
  QUALIFY row_number() OVER (PARTITION BY num_cpte, period, num_ecn
                             ORDER BY processed_on DESC, num_hist_ecn DESC, known_on DESC) = 1
)
SELECT siren, sum(coalesce(amount_po, 0) + coalesce(amount_pp, 0)) / 100.0 AS debt
FROM current_state GROUP BY siren
"""

_AP: LiteralString = """
WITH known AS (
  SELECT * FROM read_parquet($src, hive_partitioning = true, union_by_name = true)
  WHERE known_on <= $t_end AND month >= $first AND month <= $t_end
  QUALIFY row_number() OVER (PARTITION BY id_da, month ORDER BY known_on DESC) = 1
)
SELECT siren, sum(coalesce(hours, 0)) AS ap_hours FROM known GROUP BY siren
"""

_HEADCOUNT: LiteralString = """
WITH known AS (
  SELECT siren, month, headcount FROM read_parquet($src, hive_partitioning = true, union_by_name = true)
  WHERE known_on <= $t_end AND month <= $t_end AND headcount IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY siren, month ORDER BY known_on DESC) = 1
)
SELECT siren,
       arg_max(headcount, month) AS headcount,
       arg_max(headcount, month) FILTER (WHERE month <= $year_ago) AS headcount_year_ago
FROM known GROUP BY siren
"""

_PLANS: LiteralString = """
SELECT DISTINCT siren, 1.0 AS payment_plan
FROM read_parquet($src, hive_partitioning = true, union_by_name = true)
WHERE known_on <= $t_end AND created_on <= $t_end AND (due_on IS NULL OR due_on >= $t_end)
"""

_FLOWS: LiteralString = """
WITH known AS (
  SELECT supplier, client, month, amount FROM read_parquet($src, hive_partitioning = true, union_by_name = true)
  WHERE known_on <= $t_end AND month >= $first AND month <= $t_end
  QUALIFY row_number() OVER (PARTITION BY supplier, client, month ORDER BY known_on DESC) = 1
)
SELECT supplier, client, sum(amount) AS amount FROM known
WHERE supplier <> client GROUP BY supplier, client HAVING sum(amount) > 0
"""


class MeasureReader:
    """Reads the measure store as of a month.

    Args:
        root: the measure store folder (``StoreSettings.measures_dir``).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._con = duckdb.connect()
        self._con.execute("SET threads TO 1")

    def has(self, table: Table) -> bool:
        """True when the table has at least one Parquet file."""
        folder = self.root / table.value
        return folder.is_dir() and any(folder.rglob("*.parquet"))

    def _query(self, table: Table, sql: LiteralString, params: dict[str, Any], columns: list[str]) -> pd.DataFrame:
        if not self.has(table):
            return pd.DataFrame(columns=columns)
        glob = str(self.root / table.value / "**" / "*.parquet")
        df: pd.DataFrame = self._con.execute(sql, {"src": glob, **params}).df()
        return df

    def company_signals(self, month: date) -> pd.DataFrame:
        """Debt, short-time work, headcount and payment plans per company as of ``month``.

        Args:
            month: the month t (first day).

        Returns:
            One row per siren seen in any table: debt (euros), ap_hours (last three
            months), headcount, headcount_year_ago, payment_plan (1.0 or NaN).
        """
        t_end = month_end(month)
        parts = [
            self._query(Table.DEBT_LINES, _DEBT, {"t_end": t_end}, ["siren", "debt"]),
            self._query(Table.AP_USAGE, _AP, {"t_end": t_end, "first": add_months(month, -2)}, ["siren", "ap_hours"]),
            self._query(
                Table.HEADCOUNT_COMPANY,
                _HEADCOUNT,
                {"t_end": t_end, "year_ago": month_end(add_months(month, -12))},
                ["siren", "headcount", "headcount_year_ago"],
            ),
            self._query(Table.PAYMENT_PLANS, _PLANS, {"t_end": t_end}, ["siren", "payment_plan"]),
        ]
        out = pd.DataFrame({"siren": pd.Series(dtype=object)})
        for part in parts:
            out = out.merge(part, on="siren", how="outer")
        return out

    def supplier_flows(self, month: date) -> pd.DataFrame:
        """Trailing-12-month invoiced amounts per (supplier, client) pair known at ``month``.

        Returns:
            supplier, client, amount (euros), supplier_dependency (the client's share of
            the supplier's sales), client_dependency (the supplier's share of the
            client's purchases), both over pairs present in the table.
        """
        df = self._query(
            Table.SUPPLIER_FLOWS,
            _FLOWS,
            {"t_end": month_end(month), "first": add_months(month, -11)},
            ["supplier", "client", "amount"],
        )
        if df.empty:
            return df.assign(supplier_dependency=pd.Series(dtype=float), client_dependency=pd.Series(dtype=float))
        df["supplier_dependency"] = df["amount"] / df.groupby("supplier")["amount"].transform("sum")
        df["client_dependency"] = df["amount"] / df.groupby("client")["amount"].transform("sum")
        return df
