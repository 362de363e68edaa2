"""Banque de France yearly financial ratios (``bdf_ratios*``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.parsing.dates import parse_iso_date
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren
from loaders.parsing.numbers import parse_float, parse_int
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import BdfRatios, Reject

RATIOS = (
    "poids_frng",
    "taux_marge",
    "delai_fournisseurs",
    "poids_dettes_fiscales_sociales",
    "poids_financement_court_terme",
    "poids_frais_financiers",
)

BDF = Layout(delimiter=";", required=("siren", "annee", "arrete_bilan", *RATIOS))


def _year(text: str) -> int:
    year = parse_int(text)
    if not 1900 <= year <= 2100:
        raise FieldError("year must be between 1900 and 2100")
    return year


def _ratios(row: Row) -> BdfRatios:
    closing = row.need("arrete_bilan", parse_iso_date)
    year = row.need("annee", _year)
    # A closing date belongs to its own year or, for a fiscal year ending early,
    # the year after; anything further apart is a mix-up of rows.
    if closing.year not in (year, year + 1):
        raise row.fail("annee", f"year does not match arrete_bilan {closing.isoformat()}")
    return BdfRatios(
        line=row.line,
        siren=row.need("siren", parse_siren),
        year=year,
        closing_date=closing,
        poids_frng=row.get("poids_frng", parse_float),
        taux_marge=row.get("taux_marge", parse_float),
        delai_fournisseurs=row.get("delai_fournisseurs", parse_float),
        poids_dettes_fiscales_sociales=row.get("poids_dettes_fiscales_sociales", parse_float),
        poids_financement_court_terme=row.get("poids_financement_court_terme", parse_float),
        poids_frais_financiers=row.get("poids_frais_financiers", parse_float),
    )


def read_bdf_ratios(path: Path) -> Iterator[BdfRatios | Reject]:
    """Reads ``bdf_ratios*.csv`` (ratios in %, ``delai_fournisseurs`` in days).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, BDF, _ratios)
