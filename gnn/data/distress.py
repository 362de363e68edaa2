"""Distress signals and supplier flows as of month t, from the measure store.

Everything goes through ``graphstore.measures`` with ``known_by`` = the end of t:
only deliveries known by then count, and a fact re-sent later is read in its
latest version known by then, so a correction delivered after t is invisible at
t. An empty store simply yields no rows, so the GNN also runs on a bare graph.
"""

# The only SQL text built here puts the store's own relations (``raw_sql``) into
# fixed fragments; the dates go in as DuckDB parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from gnn.data.months import add_months, month_end
from graphstore.measures import (
    MeasureStore,
    Table,
    debt_panel,
    short_time_work_panel,
)

# Every version of a monthly flow is valid from its known_on to the next version's:
# one pass over the table gives the pairs of every requested month at once.
_FLOWS = """
WITH v AS (
  SELECT supplier, client, month, amount, known_on,
         lead(known_on) OVER (PARTITION BY supplier, client, month
                              ORDER BY known_on, delivery, source_file) AS next_known_on
  FROM {flows} WHERE supplier <> client),
m AS (SELECT unnest($months::DATE[]) AS t, unnest($ends::DATE[]) AS t_end)
SELECT m.t AS t, v.supplier AS src, v.client AS dst, sum(v.amount) AS amount
FROM v JOIN m ON v.month > m.t - INTERVAL 12 MONTH AND v.month <= m.t AND v.known_on <= m.t_end
             AND (v.next_known_on IS NULL OR v.next_known_on > m.t_end)
GROUP BY ALL HAVING sum(v.amount) > 0
"""


class MeasureReader:
    """Reads the measure store as of a month.

    Args:
        store: the measure store; the configured one when omitted.
    """

    def __init__(self, store: MeasureStore | None = None) -> None:
        self.store = store or MeasureStore()
        self._flows: dict[date, pd.DataFrame] = {}

    def prefetch(self, months: Sequence[date]) -> None:
        """Reads the supplier flows of many months in one query (``supplier_flows`` then hits memory).

        Args:
            months: first days of the months a run will need.
        """
        wanted = sorted({m for m in months if m not in self._flows})
        if not wanted or not self.has(Table.SUPPLIER_FLOWS):
            return
        df = self.store.query(
            _FLOWS.format(flows=self.store.raw_sql(Table.SUPPLIER_FLOWS)),
            {"months": wanted, "ends": [month_end(m) for m in wanted]},
        )
        df["t"] = pd.to_datetime(df["t"]).dt.date
        df["supplier_dependency"] = df["amount"] / df.groupby(["t", "src"])["amount"].transform("sum")
        df["client_dependency"] = df["amount"] / df.groupby(["t", "dst"])["amount"].transform("sum")
        parts = dict(tuple(df.groupby("t")))
        for m in wanted:
            part = parts.get(m, df.iloc[0:0])
            self._flows[m] = part[["src", "dst", "supplier_dependency", "client_dependency"]].reset_index(drop=True)

    def has(self, table: Table) -> bool:
        """True when the table has at least one Parquet file."""
        folder = self.store.root / table.value
        return folder.is_dir() and any(folder.glob("delivery=*/*.parquet"))

    def company_signals(self, month: date) -> pd.DataFrame:
        """Debt, short-time work and payment plans per company as of ``month``.

        Args:
            month: the month t (first day).

        Returns:
            One row per siren seen in any table: debt (euros, end of t), ap_hours
            (used over the last three months), headcount (t, or the latest of the
            last three months), headcount_year_ago (t - 12), payment_plan (1.0 or NaN).
        """
        t_end = month_end(month)
        out = pd.DataFrame({"siren": pd.Series(dtype=object)})
        if self.has(Table.DEBT_LINES):
            debt = debt_panel([month], known_by=t_end, store=self.store)[["siren", "debt"]]
            out = out.merge(debt, on="siren", how="outer")
        if self.has(Table.AP_USAGE):
            recent = [add_months(month, -k) for k in range(3)]
            ap = short_time_work_panel(recent, known_by=t_end, store=self.store)
            ap = ap.groupby("siren")["hours_used"].sum().rename("ap_hours").reset_index()
            out = out.merge(ap, on="siren", how="outer")
        if self.has(Table.PAYMENT_PLANS):
            plans = self.store.query(
                f"SELECT DISTINCT siren, 1.0 AS payment_plan FROM {self.store.current_sql(Table.PAYMENT_PLANS, t_end)} "
                "WHERE created_on <= $t_end AND (due_on IS NULL OR due_on >= $t_end)",
                {"t_end": t_end},
            )
            out = out.merge(plans, on="siren", how="outer")
        return out

    def supplier_flows(self, month: date) -> pd.DataFrame:
        """Supplier-client pairs invoiced in the 12 months ending at ``month``, as known then.

        Returns:
            src (supplier), dst (client), supplier_dependency (the client's share of
            the supplier's sales), client_dependency (the supplier's share of the
            client's purchases), over the trailing 12 months.
        """
        self.prefetch([month])
        empty = pd.DataFrame(columns=["src", "dst", "supplier_dependency", "client_dependency"])
        return self._flows.get(month, empty)
