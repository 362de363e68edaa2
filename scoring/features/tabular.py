"""Company features from URSSAF, short-time work, headcount, Banque de France and Sirene.

Every function takes the facts and a month ``t`` and uses only rows known by the
end of ``t`` about months up to ``t``; the builder passes inputs already cut with
:meth:`FeatureInputs.known_by`, the filters here are a second guard.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.features.inputs import RATIO_COLUMNS, FeatureInputs, Measure
from scoring.features.measures import MeasureIndex

FTE_HOURS = 151.67  # legal monthly hours of a full-time job
TREND_LAGS: tuple[int, ...] = (1, 3, 6, 12)
WINDOW = 24  # months of history read per measure
BDF_FILING_DELAY = 4  # months between a balance-sheet closing and its earliest filing

# Headcount stands until a later stock replaces it; a missing debt month means no open debt.
_STOCK_MEASURES = (Measure.HEADCOUNT,)


def asof_matrix(
    index: MeasureIndex, month: int, measure: Measure, sirens: pd.Index, window: int = WINDOW
) -> pd.DataFrame:
    """Values of one measure by lag (0 = ``month``) as known by the end of ``month``.

    The latest delivered version of each month wins. Headcount stands until a later
    value replaces it, so its missing months are carried forward; other measures
    stay missing (a missing debt is no open debt).

    Args:
        index: the indexed monthly measures.
        month: month ordinal.
        measure: which measure.
        sirens: the rows wanted.
        window: largest lag read.

    Returns:
        A frame indexed by ``sirens`` with columns ``0 .. window`` (lags).
    """
    wide = pd.DataFrame(index.matrix(measure, month, sirens, window), index=sirens, columns=range(window + 1))
    if measure in _STOCK_MEASURES:
        # Carry older values forward in time: lag k takes lag k+1 when missing.
        wide = wide.iloc[:, ::-1].ffill(axis=1).iloc[:, ::-1]
    return wide


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    out = num / den.where(den > 0)
    return out.clip(upper=100.0)


def urssaf_features(inputs: FeatureInputs, index: MeasureIndex, month: int, sirens: pd.Index) -> pd.DataFrame:
    """Debt levels, debt as a share of average contributions, trends, payment plans, CCSF.

    Args:
        inputs: facts.
        index: the indexed monthly measures.
        month: month ordinal.
        sirens: companies.
    """
    debt = asof_matrix(index, month, Measure.DEBT, sirens)
    employer = asof_matrix(index, month, Measure.DEBT_EMPLOYER, sirens)
    contrib = asof_matrix(index, month, Measure.CONTRIBUTIONS, sirens)
    # Quarterly declarations put three months on one month: average over the year.
    known12 = contrib.iloc[:, :12]
    avg = (known12.sum(axis=1) / 12.0).where(known12.notna().any(axis=1))
    out = pd.DataFrame(index=sirens)
    out["debt"] = debt[0].fillna(0.0)
    out["debt_log"] = np.log1p(out["debt"].clip(lower=0))
    out["debt_employer_share"] = _ratio(employer[0], debt[0])
    out["contributions_avg12"] = avg
    out["debt_share"] = _ratio(debt[0].fillna(0.0), avg)
    for k in TREND_LAGS:
        out[f"debt_share_d{k}"] = out["debt_share"] - _ratio(debt[k].fillna(0.0), avg)
    out["debt_months_12"] = (debt.iloc[:, :12] > 0).sum(axis=1).astype("float64")

    plans = inputs.plans[(inputs.plans["known_month"] <= month) & (inputs.plans["start_month"] <= month)]
    active = plans[plans["end_month"].fillna(month) >= month]
    out["plan_active"] = sirens.isin(set(active["siren"])).astype("float64")
    out["plan_amount_share"] = _ratio(active.groupby("siren")["amount"].sum().reindex(sirens), avg)
    recent = plans[plans["start_month"] > month - 12].groupby("siren").size()
    out["plans_12m"] = recent.reindex(sirens).fillna(0).astype("float64")

    ccsf = inputs.ccsf[(inputs.ccsf["known_month"] <= month) & (inputs.ccsf["month"] <= month)]
    granted = ccsf[~ccsf["stage"].astype(str).str.upper().isin({"REFUS", "REJ"})]
    out["ccsf_12m"] = sirens.isin(set(granted[granted["month"] > month - 12]["siren"])).astype("float64")
    out["ccsf_ever"] = sirens.isin(set(granted["siren"])).astype("float64")
    return out


def workforce_features(inputs: FeatureInputs, index: MeasureIndex, month: int, sirens: pd.Index) -> pd.DataFrame:
    """Headcount level and trends; short-time work used and authorised as shares of it.

    Args:
        inputs: facts.
        index: the indexed monthly measures.
        month: month ordinal.
        sirens: companies.
    """
    hc = asof_matrix(index, month, Measure.HEADCOUNT, sirens)
    raw_hours = asof_matrix(index, month, Measure.AP_HOURS, sirens)
    hours = raw_hours.fillna(0.0)
    out = pd.DataFrame(index=sirens)
    out["headcount"] = hc[0]
    out["headcount_log"] = np.log1p(hc[0].clip(lower=0))
    for k in TREND_LAGS:
        out[f"headcount_d{k}"] = _ratio(hc[0], hc[k]) - 1.0
    out["headcount_max12_drop"] = 1.0 - _ratio(hc[0], hc.iloc[:, :13].max(axis=1))
    fte = hours / FTE_HOURS
    # Hours arrive a month or two late: the latest month known within three months.
    latest = raw_hours.iloc[:, :3].bfill(axis=1)[0].fillna(0.0) / FTE_HOURS
    out["ap_share_1"] = _ratio(latest, hc[0])
    out["ap_share_3"] = _ratio(fte.iloc[:, :3].mean(axis=1), hc[0])
    out["ap_months_12"] = (hours.iloc[:, :12] > 0).sum(axis=1).astype("float64")

    req = inputs.ap_requests
    req = req[(req["known_month"] <= month) & (req["start_month"] <= month) & (req["end_month"] >= month)]
    auth = req.groupby("siren")["authorised_headcount"].sum().reindex(sirens)
    out["ap_authorised_share"] = _ratio(auth.fillna(0.0), hc[0])
    return out


def financial_features(inputs: FeatureInputs, month: int, sirens: pd.Index) -> pd.DataFrame:
    """The latest Banque de France ratios filed by ``month`` and their age.

    A ratio is usable from its delivery, and never before ``closing + 4`` months.

    Args:
        inputs: facts.
        month: month ordinal.
        sirens: companies.
    """
    r = inputs.ratios
    usable = r[(r["known_month"] <= month) & (r["closing_month"] + BDF_FILING_DELAY <= month)]
    latest = usable.sort_values(["closing_month", "known_month"]).drop_duplicates("siren", keep="last")
    latest = latest.set_index("siren").reindex(sirens)
    out = pd.DataFrame(index=sirens)
    for col in RATIO_COLUMNS:
        out[f"bdf_{col}"] = latest[col].astype("float64")
    out["bdf_age_months"] = (month - latest["closing_month"]).astype("float64")
    return out


def profile_features(inputs: FeatureInputs, month: int, sirens: pd.Index) -> pd.DataFrame:
    """Sector, age, size band, département and legal form (categoricals as strings).

    Args:
        inputs: facts.
        month: month ordinal.
        sirens: companies.
    """
    comp = inputs.companies.drop_duplicates("siren").set_index("siren").reindex(sirens)
    out = pd.DataFrame(index=sirens)
    naf = comp["naf"].fillna("").astype(str)
    out["naf_division"] = naf.str[:2].where(naf.str.len() >= 2)
    out["departement"] = comp["departement"].astype("object")
    out["legal_form_2"] = comp["legal_form"].fillna("").astype(str).str[:2].replace("", None)
    band = pd.to_numeric(comp["headcount_band"], errors="coerce")
    out["size_band"] = band.astype("float64")
    out["age_years"] = ((month - comp["created_month"].astype("float64")) / 12.0).astype("float64")
    return out


CATEGORICAL: tuple[str, ...] = ("naf_division", "departement", "legal_form_2")
