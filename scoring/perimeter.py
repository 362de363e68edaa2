"""Who is scored, and what counts as a failure.

- Perimeter at month ``t``: companies that had at least 10 employees at some month
  of ``[t - 36, t]`` (as known by the end of ``t``; the Sirene headcount band when
  no monthly headcount is known), excluding public-sector legal forms.
- Event: the opening of a procédure collective (sauvegarde, redressement or
  liquidation), dated by the month of its judgment.
- A company in a procedure at ``t`` (opened on or before ``t`` and not yet ended
  by a plan or a closure; a liquidation never ends) is flagged: it is neither a
  training row nor alerted.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from scoring.config import PerimeterConfig
from scoring.features.inputs import OPENING_KINDS, FeatureInputs, Measure
from scoring.features.measures import MeasureIndex

# Sirene headcount bands meaning 10 employees or more.
BANDS_10_PLUS: frozenset[str] = frozenset({"11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"})

_ENDING_STAGES = ("plan", "clotur", "solde", "fin_procedure", "fin de procedure")


def _fold(values: pd.Series) -> pd.Series:
    """Lower-case ASCII text of a column (accents dropped), empty for missing values."""
    raw = values.astype("object").where(values.notna(), "").astype(str)
    uniq = pd.unique(raw)
    folded = {u: unicodedata.normalize("NFKD", u).encode("ascii", "ignore").decode().lower() for u in uniq}
    return raw.map(folded)


def public_sector(companies: pd.DataFrame, config: PerimeterConfig) -> pd.Series:
    """True for companies excluded as public sector.

    Args:
        companies: the ``companies`` input (legal_form, public_sector).
        config: the legal-form prefixes to exclude.
    """
    forms = companies["legal_form"].fillna("").astype(str)
    by_form = forms.str.startswith(config.public_prefixes)
    flagged = companies["public_sector"].map(lambda v: v is True or str(v).lower() == "true")
    return (by_form | flagged).astype(bool)


def openings(procedures: pd.DataFrame) -> pd.DataFrame:
    """Opening judgments only: kind in sauvegarde/redressement/liquidation and an opening stage.

    A row without a stage counts as an opening (URSSAF rows may carry only the kind).

    Args:
        procedures: the ``procedures`` input.

    Returns:
        siren, kind, judgment_month, known_month, sorted by siren then month.
    """
    stage = _fold(procedures["stage"])
    kind = _fold(procedures["kind"])
    is_open = stage.str.contains("ouverture") | stage.eq("") | stage.str.contains("open")
    rows = procedures[is_open & kind.isin(OPENING_KINDS)].copy()
    rows["kind"] = kind[rows.index]
    rows = rows.dropna(subset=["judgment_month"])
    rows["judgment_month"] = rows["judgment_month"].astype(np.int64)
    return rows.sort_values(["siren", "judgment_month"])[["siren", "kind", "judgment_month", "known_month"]]


def procedure_spells(procedures: pd.DataFrame) -> pd.DataFrame:
    """Months each company spends in a procedure.

    Args:
        procedures: the ``procedures`` input.

    Returns:
        siren, start (opening month), end (month of the first ending judgment after
        the opening, or a far-future month); liquidations never end.
    """
    opens = openings(procedures)
    stage = _fold(procedures["stage"])
    ending = procedures[stage.str.contains("|".join(_ENDING_STAGES))].dropna(subset=["judgment_month"])
    far = np.int64(10**6)
    if opens.empty:
        return pd.DataFrame({"siren": pd.Series(dtype=object), "start": [], "end": []})
    spells = opens.rename(columns={"judgment_month": "start"})[["siren", "kind", "start"]].copy()
    spells["end"] = far
    if not ending.empty:
        ends = ending[["siren", "judgment_month"]].astype({"judgment_month": np.int64})
        merged = spells.reset_index(drop=True).reset_index().merge(ends, on="siren", how="left")
        merged = merged[merged["judgment_month"] > merged["start"]]
        first_end = merged.groupby("index")["judgment_month"].min()
        spells = spells.reset_index(drop=True)
        spells.loc[first_end.index, "end"] = first_end.to_numpy()
    spells.loc[spells["kind"] == "liquidation", "end"] = far
    return spells[["siren", "start", "end"]].reset_index(drop=True)


def in_procedure(spells: pd.DataFrame, sirens: pd.Series, month: int) -> np.ndarray:
    """True for the companies in a procedure at ``month``.

    Args:
        spells: :func:`procedure_spells` of the judgments known by ``month``.
        sirens: the companies asked about.
        month: month ordinal.
    """
    active = spells[(spells["start"] <= month) & (spells["end"] > month)]["siren"]
    return sirens.isin(set(active)).to_numpy()


def max_headcount(index: MeasureIndex, sirens: pd.Index, month: int, lookback: int) -> pd.Series:
    """Highest monthly headcount of each company over ``[month - lookback, month]`` as known at ``month``.

    Args:
        index: the indexed monthly measures (rows known after ``month`` are ignored).
        sirens: companies.
        month: month ordinal.
        lookback: months back.

    Returns:
        A series indexed by ``sirens`` (NaN when no headcount is known).
    """
    values = index.matrix(Measure.HEADCOUNT, month, sirens, lookback)
    with np.errstate(all="ignore"):
        peak = np.where(np.isnan(values).all(axis=1), np.nan, np.nanmax(np.nan_to_num(values, nan=-1.0), axis=1))
    return pd.Series(peak, index=sirens)


def perimeter(
    inputs: FeatureInputs, month: int, config: PerimeterConfig, index: MeasureIndex | None = None
) -> pd.DataFrame:
    """The companies in the perimeter at ``month``.

    Args:
        inputs: facts.
        month: month ordinal.
        config: thresholds and exclusions.
        index: the indexed monthly measures (built from ``inputs`` when omitted).

    Returns:
        siren, region, departement and ``in_procedure`` (flagged, still listed).
    """
    comp = inputs.companies
    index = index or MeasureIndex(inputs)
    created = comp["created_month"].astype("float64")
    alive = ~(created > month)
    peak = max_headcount(index, pd.Index(comp["siren"]), month, config.lookback_months)
    peak_of = pd.Series(peak.to_numpy(), index=comp.index)
    band_ok = comp["headcount_band"].astype(str).isin(BANDS_10_PLUS)
    big = peak_of.ge(config.min_headcount).fillna(False).astype(bool) | (peak_of.isna() & band_ok)
    keep = comp[alive & big & ~public_sector(comp, config)]
    out = keep[["siren", "region", "departement"]].reset_index(drop=True)
    known = inputs.procedures[inputs.procedures["known_month"] <= month]
    out["in_procedure"] = in_procedure(procedure_spells(known), out["siren"], month)
    return out


def next_event(procedures: pd.DataFrame, sirens: pd.Series, month: int) -> pd.Series:
    """Month of the first opening judgment after ``month`` for each company (NaN when none).

    Used for labels only: the caller passes the facts known at its label cut-off.

    Args:
        procedures: the ``procedures`` input.
        sirens: the companies.
        month: month ordinal (the origin).
    """
    opens = openings(procedures)
    later = opens[opens["judgment_month"] > month].groupby("siren")["judgment_month"].min()
    return sirens.map(later).astype("float64")
