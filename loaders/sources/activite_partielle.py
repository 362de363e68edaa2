"""DGEFP activité partielle (short-time work): requests and hours used (comma-separated, quoted)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.parsing.dates import parse_iso_date, parse_month
from loaders.parsing.errors import FieldError
from loaders.parsing.numbers import parse_count, parse_euros, parse_float, parse_int
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import ApConsommation, ApDemande, ApMotif, Reject
from loaders.sources.identity import siret_ids

DEMANDES = Layout(
    delimiter=",",
    required=("ID_DA", "ETAB_SIRET", "DATE_DEB", "DATE_FIN", "HTA", "MTA", "EFF_AUTO"),
    optional=("EFF_ENT", "EFF_ETAB", "DATE_STATUT", "MOTIF_RECOURS_SE", "PERIMETRE_AP"),
)

CONSOMMATIONS = Layout(
    delimiter=",",
    required=("ID_DA", "ETAB_SIRET", "MOIS", "HEURES", "MONTANTS", "EFFECTIFS"),
)


def _hours(text: str) -> float:
    value = parse_float(text)
    if value < 0:
        raise FieldError("hours must not be negative")
    return value


def _motif(text: str) -> ApMotif:
    try:
        return ApMotif(parse_int(text))
    except ValueError:
        raise FieldError("motive must be 1 to 5") from None


def _demande(row: Row) -> ApDemande:
    ids = siret_ids(row, "etab_siret", urssaf=False)
    start = row.need("date_deb", parse_iso_date)
    end = row.need("date_fin", parse_iso_date)
    if end < start:
        raise row.fail("date_fin", f"end is before the start {start.isoformat()}")
    return ApDemande(
        line=row.line,
        id_da=row.need_text("id_da"),
        siret=ids.siret,
        siren=ids.siren,
        company_headcount=row.get("eff_ent", parse_count),
        establishment_headcount=row.get("eff_etab", parse_count),
        status_on=row.get("date_statut", parse_iso_date),
        start=start,
        end=end,
        hours=row.get("hta", _hours),
        amount=row.get("mta", parse_euros),
        authorised_headcount=row.get("eff_auto", parse_count),
        motive=row.get("motif_recours_se", _motif),
        perimeter=row.text("perimetre_ap"),
    )


def _consommation(row: Row) -> ApConsommation:
    ids = siret_ids(row, "etab_siret", urssaf=False)
    return ApConsommation(
        line=row.line,
        id_da=row.need_text("id_da"),
        siret=ids.siret,
        siren=ids.siren,
        month=row.need("mois", parse_month),
        hours=row.need("heures", _hours),
        amount=row.get("montants", parse_euros),
        headcount=row.get("effectifs", parse_count),
    )


def read_demandes(path: Path) -> Iterator[ApDemande | Reject]:
    """Reads ``demande_ap*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, DEMANDES, _demande)


def read_consommations(path: Path) -> Iterator[ApConsommation | Reject]:
    """Reads ``consommation_ap*.csv`` (``MOIS`` = ``YYYY-MM-01``).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, CONSOMMATIONS, _consommation)
