"""Hand-built graph features: contagion from failed partners, groups, concentration, degree.

Supplier links come from the monthly e-invoicing flows known by ``t`` over the
trailing 12 months, so a dependency is the one a reader of the data could
compute at ``t``: a supplier's dependency on a client is the client's share of the
supplier's sales, a client's dependency on a supplier the supplier's share of its
purchases (SOURCES.md section 7). A failure is an opening judgment dated in the
window and known by ``t``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.features.inputs import FeatureInputs
from scoring.perimeter import openings

FAILURE_WINDOWS: tuple[int, ...] = (3, 6, 12)
EXPOSURE_WINDOW = 12
# A partner's failure exposes a company when the partner weighed at least this share
# of its sales or purchases: a client worth 0.1 % of sales failing is no exposure.
MATERIAL_DEPENDENCY = 0.05


def dependencies(inputs: FeatureInputs, month: int) -> pd.DataFrame:
    """Supplier-client pairs with their trailing-12-month amount and both dependencies.

    Args:
        inputs: facts.
        month: month ordinal.

    Returns:
        supplier, client, amount, supplier_dependency, client_dependency.
    """
    f = inputs.flows
    rows = f[(f["known_month"] <= month) & (f["month"] <= month) & (f["month"] > month - 12)]
    # A later row for the same (supplier, client, month) is a correction.
    rows = rows.sort_values("known_month", kind="stable").drop_duplicates(["supplier", "client", "month"], keep="last")
    pairs = rows.groupby(["supplier", "client"], as_index=False)["amount"].sum()
    pairs = pairs[pairs["amount"] > 0]
    sales = pairs.groupby("supplier")["amount"].transform("sum")
    purchases = pairs.groupby("client")["amount"].transform("sum")
    pairs["supplier_dependency"] = pairs["amount"] / sales
    pairs["client_dependency"] = pairs["amount"] / purchases
    out: pd.DataFrame = pairs.reset_index(drop=True)
    return out


def failures(opens: pd.DataFrame, month: int, window: int) -> pd.DataFrame:
    """Openings dated in ``(month - window, month]`` and known by ``month``.

    Args:
        opens: opening judgments (:func:`scoring.perimeter.openings`).
        month: month ordinal.
        window: months back.

    Returns:
        siren, judgment_month (first opening in the window per company).
    """
    opens = opens[(opens["known_month"] <= month)]
    opens = opens[(opens["judgment_month"] <= month) & (opens["judgment_month"] > month - window)]
    return opens.drop_duplicates("siren")[["siren", "judgment_month"]]


def group_membership(inputs: FeatureInputs, month: int) -> pd.Series:
    """Group of each company as known at ``month`` (siren -> group id)."""
    g = inputs.groups[inputs.groups["known_month"] <= month]
    g = g.sort_values("known_month", kind="stable").drop_duplicates("siren", keep="last")
    out: pd.Series = g.set_index("siren")["group_id"]
    return out


def _hhi(shares: pd.Series, keys: pd.Series) -> pd.Series:
    return (shares**2).groupby(keys.to_numpy()).sum()


def graph_features(
    inputs: FeatureInputs, month: int, sirens: pd.Index, distressed: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Graph features of ``sirens`` at ``month`` and the related companies behind them.

    Args:
        inputs: facts.
        month: month ordinal.
        sirens: companies.
        distressed: siren -> True for companies in distress at ``month`` (debt of at
            least a month of contributions, or in a procedure); used for groups.

    Returns:
        (features indexed by ``sirens``, drivers) where drivers lists siren,
        related, relation (``client``, ``supplier``, ``group``), weight and
        judgment_month for every partner failed within 12 months.
    """
    deps = dependencies(inputs, month)
    opens = openings(inputs.procedures)
    out = pd.DataFrame(index=sirens)
    driver_parts: list[pd.DataFrame] = []
    for w in FAILURE_WINDOWS:
        failed = failures(opens, month, w)
        fmonth = failed.set_index("siren")["judgment_month"]
        # A supplier suffers from failed clients in proportion to their share of its sales.
        lost_clients = deps[deps["client"].isin(fmonth.index)]
        lost_suppliers = deps[deps["supplier"].isin(fmonth.index)]
        cs = lost_clients.groupby("supplier")["supplier_dependency"]
        ss = lost_suppliers.groupby("client")["client_dependency"]
        out[f"client_fail_dep_{w}m"] = cs.sum().reindex(sirens).fillna(0.0)
        out[f"supplier_fail_dep_{w}m"] = ss.sum().reindex(sirens).fillna(0.0)
        if w == EXPOSURE_WINDOW:
            out["client_fail_n_12m"] = cs.size().reindex(sirens).fillna(0).astype("float64")
            out["supplier_fail_n_12m"] = ss.size().reindex(sirens).fillna(0).astype("float64")
            driver_parts.append(
                pd.DataFrame(
                    {
                        "siren": lost_clients["supplier"],
                        "related": lost_clients["client"],
                        "relation": "client",
                        "weight": lost_clients["supplier_dependency"],
                        "judgment_month": lost_clients["client"].map(fmonth),
                    }
                )
            )
            driver_parts.append(
                pd.DataFrame(
                    {
                        "siren": lost_suppliers["client"],
                        "related": lost_suppliers["supplier"],
                        "relation": "supplier",
                        "weight": lost_suppliers["client_dependency"],
                        "judgment_month": lost_suppliers["supplier"].map(fmonth),
                    }
                )
            )
            group_failed = fmonth

    groups = group_membership(inputs, month)
    members = groups.reset_index().rename(columns={"group_id": "group"})
    members["failed"] = members["siren"].isin(group_failed.index)
    members["distressed"] = members["siren"].map(distressed).fillna(False).astype(bool) | members["failed"]
    per_group = members.groupby("group").agg(
        size=("siren", "size"), failed=("failed", "sum"), dis=("distressed", "sum")
    )
    g_of = pd.Series(sirens, index=sirens).map(groups)
    stats = per_group.reindex(g_of.to_numpy())
    stats.index = sirens
    self_failed = pd.Series(sirens.isin(group_failed.index), index=sirens).astype(float)
    self_dis = pd.Series(sirens, index=sirens).map(distressed).fillna(False).astype(float)
    others = (stats["size"] - 1).clip(lower=0)
    out["group_size"] = stats["size"].fillna(0.0).astype("float64")
    out["group_fail_n_12m"] = (stats["failed"] - self_failed).fillna(0.0).clip(lower=0).astype("float64")
    dis_others = (stats["dis"] - np.maximum(self_dis, self_failed)).clip(lower=0)
    out["group_distressed_share"] = (dis_others / others.where(others > 0)).astype("float64")
    grouped_fail = members[members["failed"]]
    pairs = members[["siren", "group"]].merge(grouped_fail[["siren", "group"]], on="group", suffixes=("", "_rel"))
    pairs = pairs[(pairs["siren"] != pairs["siren_rel"]) & pairs["siren"].isin(sirens)]
    driver_parts.append(
        pd.DataFrame(
            {
                "siren": pairs["siren"],
                "related": pairs["siren_rel"],
                "relation": "group",
                "weight": 1.0,
                "judgment_month": pairs["siren_rel"].map(group_failed),
            }
        )
    )

    sales = deps.groupby("supplier")["amount"].sum()
    purchases = deps.groupby("client")["amount"].sum()
    out["n_clients"] = deps.groupby("supplier").size().reindex(sirens).fillna(0).astype("float64")
    out["n_suppliers"] = deps.groupby("client").size().reindex(sirens).fillna(0).astype("float64")
    out["sales_12m_log"] = np.log1p(sales.reindex(sirens).fillna(0.0))
    out["purchases_12m_log"] = np.log1p(purchases.reindex(sirens).fillna(0.0))
    out["client_hhi"] = _hhi(deps["supplier_dependency"], deps["supplier"]).reindex(sirens)
    out["supplier_hhi"] = _hhi(deps["client_dependency"], deps["client"]).reindex(sirens)
    material = out["client_fail_dep_12m"] + out["supplier_fail_dep_12m"] >= MATERIAL_DEPENDENCY
    out["exposed"] = (material | (out["group_fail_n_12m"] > 0)).astype("float64")
    drivers = pd.concat(driver_parts, ignore_index=True)
    drivers = drivers[drivers["siren"].isin(sirens)].reset_index(drop=True)
    return out, drivers
