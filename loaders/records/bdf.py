"""Records of the Banque de France ratio files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True, kw_only=True)
class BdfRatios:
    """Yearly financial ratios of a company, from ``bdf_ratios*``.

    Ratios are in %, ``delai_fournisseurs`` in days; the names are the file's.

    Attributes:
        year: ``annee``.
        closing_date: ``arrete_bilan``.
    """

    line: int
    siren: str
    year: int
    closing_date: date
    poids_frng: float | None
    taux_marge: float | None
    delai_fournisseurs: float | None
    poids_dettes_fiscales_sociales: float | None
    poids_financement_court_terme: float | None
    poids_frais_financiers: float | None

    @property
    def known_not_before(self) -> date:
        """The earliest date the ratios may be known: 4 months after closing."""
        m = self.closing_date.month + 4
        y = self.closing_date.year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        day = min(self.closing_date.day, _days_in_month(y, m))
        return date(y, m, day)


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days
