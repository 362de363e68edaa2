"""The raw, dated facts the features are computed from, as in-memory frames.

Every fact carries ``known_month``: the month by the end of which it was known
(its delivery). Features as of month ``t`` only ever see rows with
``known_month <= t``; :meth:`FeatureInputs.known_by` is that cut, and the leakage
test checks that applying it first changes nothing.

Months are ordinals (:mod:`scoring.months`). Frames and their columns:

- ``companies``: siren, departement, region, naf, legal_form, headcount_band,
  created_month, public_sector (static Sirene picture).
- ``procedures``: siren, kind, stage, judgment_month, known_month; one row per
  judgment (openings and later stages).
- ``monthly``: siren, measure, month, value, known_month; long format, one row per
  delivered version; measures in :class:`Measure`.
- ``plans``: siren, start_month, end_month, amount, known_month (URSSAF délais).
- ``ccsf``: siren, month, stage, known_month.
- ``ap_requests``: siren, start_month, end_month, authorised_headcount,
  authorised_hours, known_month (activité partielle authorisations).
- ``ratios``: siren, closing_month, known_month and one column per BdF ratio.
- ``flows``: supplier, client, month, amount, known_month (e-invoicing aggregates).
- ``groups``: siren, group_id, known_month.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum

import pandas as pd


class Measure(StrEnum):
    """Monthly measures of the ``monthly`` frame."""

    DEBT = "debt"  # URSSAF debt, employee + employer shares, euros
    DEBT_EMPLOYER = "debt_employer"  # employer share only, euros
    CONTRIBUTIONS = "contributions"  # contributions due, euros
    HEADCOUNT = "headcount"
    AP_HOURS = "ap_hours"  # short-time work hours used


RATIO_COLUMNS: tuple[str, ...] = (
    "poids_frng",
    "taux_marge",
    "delai_fournisseurs",
    "poids_dettes_fiscales_sociales",
    "poids_financement_court_terme",
    "poids_frais_financiers",
)

_TEXT_COLUMNS: frozenset[str] = frozenset(
    {
        "measure",
        "departement",
        "region",
        "naf",
        "legal_form",
        "headcount_band",
        "public_sector",
        "kind",
        "stage",
        "group_id",
    }
)

OPENING_KINDS: frozenset[str] = frozenset({"sauvegarde", "redressement", "liquidation"})

_SCHEMAS: dict[str, tuple[str, ...]] = {
    "companies": (
        "siren",
        "departement",
        "region",
        "naf",
        "legal_form",
        "headcount_band",
        "created_month",
        "public_sector",
    ),
    "procedures": ("siren", "kind", "stage", "judgment_month", "known_month"),
    "monthly": ("siren", "measure", "month", "value", "known_month"),
    "plans": ("siren", "start_month", "end_month", "amount", "known_month"),
    "ccsf": ("siren", "month", "stage", "known_month"),
    "ap_requests": (
        "siren",
        "start_month",
        "end_month",
        "authorised_headcount",
        "authorised_hours",
        "known_month",
    ),
    "ratios": ("siren", "closing_month", "known_month", *RATIO_COLUMNS),
    "flows": ("supplier", "client", "month", "amount", "known_month"),
    "groups": ("siren", "group_id", "known_month"),
}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the columns of input ``name``."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in _SCHEMAS[name]})


@dataclass(frozen=True)
class FeatureInputs:
    """All raw facts, each frame with the columns listed in the module docstring."""

    companies: pd.DataFrame
    procedures: pd.DataFrame
    monthly: pd.DataFrame
    plans: pd.DataFrame
    ccsf: pd.DataFrame
    ap_requests: pd.DataFrame
    ratios: pd.DataFrame
    flows: pd.DataFrame
    groups: pd.DataFrame

    def __post_init__(self) -> None:
        for f in fields(self):
            frame: pd.DataFrame = getattr(self, f.name)
            missing = set(_SCHEMAS[f.name]) - set(frame.columns)
            if missing:
                raise ValueError(f"input {f.name!r} lacks columns {sorted(missing)}")

    def known_by(self, month: int, monthly: bool = True) -> FeatureInputs:
        """The facts known by the end of ``month`` (the static Sirene picture is kept).

        Args:
            month: month ordinal.
            monthly: also cut the ``monthly`` frame; the feature builder skips it
                because its measure index reads only rows known by the month anyway,
                and copying millions of rows per month dominated the time.
        """
        skip = {"companies"} if monthly else {"companies", "monthly"}
        cut = {
            f.name: getattr(self, f.name)[getattr(self, f.name)["known_month"] <= month]
            for f in fields(self)
            if f.name not in skip
        }
        return replace(self, **cut)

    def with_int_ids(self) -> FeatureInputs:
        """The same facts with SIRENs (and group ids) as int64: string columns made
        every join and membership test of the feature builder several times slower.
        Rows whose id is not numeric are dropped. Idempotent."""
        if pd.api.types.is_integer_dtype(self.companies["siren"]):
            return self

        def ids(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
            out = frame.copy()
            # Every other column is numeric, except the few text ones.
            for c in out.columns:
                if c not in cols and c not in _TEXT_COLUMNS:
                    out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
            for c in cols:
                out[c] = pd.to_numeric(out[c].astype("object"), errors="coerce")
            out = out.dropna(subset=list(cols))
            for c in cols:
                out[c] = out[c].astype("int64")
            return out

        groups = self.groups[self.groups["group_id"].notna()].copy()
        groups = groups[groups["group_id"].astype(str) != ""]
        groups["group_id"] = pd.factorize(groups["group_id"].astype(str))[0]
        return replace(
            self,
            companies=ids(self.companies, ("siren",)),
            procedures=ids(self.procedures, ("siren",)),
            monthly=ids(self.monthly, ("siren",)),
            plans=ids(self.plans, ("siren",)),
            ccsf=ids(self.ccsf, ("siren",)),
            ap_requests=ids(self.ap_requests, ("siren",)),
            ratios=ids(self.ratios, ("siren",)),
            flows=ids(self.flows, ("supplier", "client")),
            groups=ids(groups, ("siren",)),
        )

    @property
    def last_month(self) -> int:
        """The latest month any monthly measure was known for."""
        return int(self.monthly["known_month"].max())
