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

    def known_by(self, month: int) -> FeatureInputs:
        """The facts known by the end of ``month`` (the static Sirene picture is kept).

        Args:
            month: month ordinal.
        """
        cut = {
            f.name: getattr(self, f.name)[getattr(self, f.name)["known_month"] <= month]
            for f in fields(self)
            if f.name != "companies"
        }
        return replace(self, **cut)

    @property
    def last_month(self) -> int:
        """The latest month any monthly measure was known for."""
        return int(self.monthly["known_month"].max())
