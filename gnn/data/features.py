"""Company node features as of month t: identity, failure status, distress, degrees.

All inputs are already cut at t by the caller; this module only turns them into a
float matrix with fixed transforms (logs, clips, one-hot), so that the same company
gets the same scale in every month and no statistic is fitted on the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# INSEE headcount bands to a representative headcount (band midpoints; NN unknown).
_BAND_HEADCOUNT = {
    "00": 0.0, "01": 1.5, "02": 4.0, "03": 7.5, "11": 15.0, "12": 35.0, "21": 75.0, "22": 150.0,
    "31": 225.0, "32": 375.0, "41": 750.0, "42": 1500.0, "51": 3500.0, "52": 7500.0, "53": 15000.0,
}  # fmt: skip

# NAF rev. 2 sections by division (first two digits of the code).
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
    ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
    ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip

STATUS_FEATURES = ("in_procedure", "procedure_last_3m", "procedure_last_12m", "liquidation")
DISTRESS_FEATURES = (
    "measures_known", "debt_present", "debt_log", "debt_per_head_log", "short_time_work_share",
    "short_time_work_present", "payment_plan", "headcount_trend_12m",
)  # fmt: skip
IDENTITY_FEATURES = ("age_log", "age_unknown", "size_log", "sole_trader", "commercial_company")
DEGREE_FEATURES = ("suppliers_log", "clients_log", "corporate_links_log")
FEATURE_NAMES: tuple[str, ...] = (
    STATUS_FEATURES
    + DISTRESS_FEATURES
    + IDENTITY_FEATURES
    + DEGREE_FEATURES
    + tuple(f"naf_{s}" for s, _, _ in _SECTIONS)
    + ("naf_unknown",)
)


def naf_section(code: object) -> str | None:
    """The NAF section letter of a code such as ``62.01Z`` (None when unreadable)."""
    if not isinstance(code, str) or len(code) < 2 or not code[:2].isdigit():
        return None
    division = int(code[:2])
    for letter, lo, hi in _SECTIONS:
        if lo <= division <= hi:
            return letter
    return None


def company_features(
    companies: pd.DataFrame,
    status: pd.DataFrame,
    signals: pd.DataFrame,
    degrees: pd.DataFrame,
    t_day: int,
) -> np.ndarray:
    """The feature matrix, one row per company in ``companies`` order.

    Args:
        companies: siren, naf, legal_form, headcount_band, created_on (days).
        status: indexed by siren: first_judgment, last_judgment (days), liquidation,
            for procedures known and judged by t.
        signals: indexed by siren: debt, ap_hours, headcount, headcount_year_ago,
            payment_plan (``MeasureReader.company_signals``).
        degrees: indexed by siren: suppliers, clients, corporate_links.
        t_day: the end of month t, in days since 1970-01-01.

    Returns:
        float32 array of shape (len(companies), len(FEATURE_NAMES)).
    """
    sirens = companies["siren"]
    st = status.reindex(index=sirens, columns=["first_judgment", "last_judgment", "liquidation"]).astype(float)
    sg = signals.reindex(
        index=sirens, columns=["debt", "ap_hours", "headcount", "headcount_year_ago", "payment_plan"]
    ).astype(float)
    dg = degrees.reindex(index=sirens, columns=["suppliers", "clients", "corporate_links"]).astype(float).fillna(0.0)
    n = len(companies)
    cols: dict[str, np.ndarray] = {}

    last = st["last_judgment"].to_numpy(dtype=float)
    months_since = (t_day - last) / 30.44
    cols["in_procedure"] = np.isfinite(last).astype(float)
    cols["procedure_last_3m"] = (months_since < 3).astype(float)
    cols["procedure_last_12m"] = (months_since < 12).astype(float)
    cols["liquidation"] = st["liquidation"].fillna(0.0).to_numpy(dtype=float)

    band = companies["headcount_band"].map(_BAND_HEADCOUNT).to_numpy(dtype=float)
    measured = sg["headcount"].to_numpy(dtype=float)
    headcount = np.where(np.isfinite(measured), measured, band)
    debt = sg["debt"].fillna(0.0).clip(lower=0.0).to_numpy(dtype=float)
    fte = sg["ap_hours"].fillna(0.0).to_numpy(dtype=float) / 151.67 / 3.0
    head = np.maximum(np.nan_to_num(headcount, nan=1.0), 1.0)
    ago = sg["headcount_year_ago"].to_numpy(dtype=float)
    cols["measures_known"] = sg.notna().any(axis=1).to_numpy(dtype=float)
    cols["debt_present"] = (debt > 0).astype(float)
    cols["debt_log"] = np.log1p(debt) / 10.0
    cols["debt_per_head_log"] = np.log1p(debt / head) / 10.0
    cols["short_time_work_share"] = np.clip(fte / head, 0.0, 1.0)
    cols["short_time_work_present"] = (fte > 0).astype(float)
    cols["payment_plan"] = sg["payment_plan"].fillna(0.0).to_numpy(dtype=float)
    trend = np.log((np.nan_to_num(measured, nan=0.0) + 1.0) / (np.nan_to_num(ago, nan=0.0) + 1.0))
    cols["headcount_trend_12m"] = np.where(np.isfinite(measured) & np.isfinite(ago), np.clip(trend, -2, 2), 0.0)

    created = companies["created_on"].to_numpy(dtype=float)
    known_age = created > -(10**6)
    age_years = np.where(known_age, np.maximum(t_day - created, 0) / 365.25, 0.0)
    cols["age_log"] = np.log1p(age_years) / 4.0
    cols["age_unknown"] = (~known_age).astype(float)
    cols["size_log"] = np.log1p(np.nan_to_num(headcount, nan=0.0)) / 10.0
    legal = companies["legal_form"].astype(str)
    cols["sole_trader"] = legal.str.startswith("1").to_numpy(dtype=float)
    cols["commercial_company"] = legal.str.startswith("5").to_numpy(dtype=float)

    cols["suppliers_log"] = np.log1p(dg["suppliers"].to_numpy(dtype=float)) / 4.0
    cols["clients_log"] = np.log1p(dg["clients"].to_numpy(dtype=float)) / 4.0
    cols["corporate_links_log"] = np.log1p(dg["corporate_links"].to_numpy(dtype=float)) / 4.0

    sections = companies["naf"].map(naf_section)
    for letter, _, _ in _SECTIONS:
        cols[f"naf_{letter}"] = (sections == letter).to_numpy(dtype=float)
    cols["naf_unknown"] = sections.isna().to_numpy(dtype=float)

    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    for j, name in enumerate(FEATURE_NAMES):
        out[:, j] = np.nan_to_num(cols[name], nan=0.0, posinf=0.0, neginf=0.0)
    return out
