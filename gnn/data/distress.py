"""Distress signals and supplier flows as of month t, from the measure store.

Everything goes through ``graphstore.measures`` with ``known_by`` = the end of t:
only deliveries known by then count, and a fact re-sent later is read in its
latest version known by then, so a correction delivered after t is invisible at
t. An empty store simply yields no rows, so the GNN also runs on a bare graph.
"""

# The only SQL text built here joins the store's own relation with fixed fragments;
# the dates go in as DuckDB parameters.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

import pandas as pd

from gnn.data.months import add_months, month_end
from graphstore.measures import (
    MeasureStore,
    Table,
    debt_panel,
    headcount_panel,
    short_time_work_panel,
    supplier_dependencies,
)


class MeasureReader:
    """Reads the measure store as of a month.

    Args:
        store: the measure store; the default one (``StoreSettings.measures_dir``) when omitted.
    """

    def __init__(self, store: MeasureStore | None = None) -> None:
        self.store = store or MeasureStore()

    def has(self, table: Table) -> bool:
        """True when the table has at least one Parquet file."""
        folder = self.store.root / table.value
        return folder.is_dir() and any(folder.glob("delivery=*/*.parquet"))

    def company_signals(self, month: date) -> pd.DataFrame:
        """Debt, short-time work, headcount and payment plans per company as of ``month``.

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
        if self.has(Table.HEADCOUNT_COMPANY) or self.has(Table.HEADCOUNT_ESTABLISHMENT):
            year_ago = add_months(month, -12)
            recent = [add_months(month, -k) for k in range(3)]
            hc = headcount_panel([*recent, year_ago], known_by=t_end, store=self.store)
            hc["month"] = pd.to_datetime(hc["month"]).dt.date
            now = hc[hc["month"] >= recent[-1]].sort_values("month").groupby("siren")["headcount"].last()
            ago = hc[hc["month"] == year_ago].groupby("siren")["headcount"].last()
            frame = pd.DataFrame({"headcount": now, "headcount_year_ago": ago}).rename_axis("siren").reset_index()
            out = out.merge(frame, on="siren", how="outer")
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
        df = supplier_dependencies(as_of=month, known_by=month_end(month), store=self.store)
        df = df[df["amount_12m"] > 0]
        return df.rename(columns={"supplier": "src", "client": "dst"})[
            ["src", "dst", "supplier_dependency", "client_dependency"]
        ]
