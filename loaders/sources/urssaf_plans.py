"""URSSAF payment plans (délais) and CCSF reschedulings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.parsing.dates import parse_fr_date, parse_urssaf_date
from loaders.parsing.errors import FieldError
from loaders.parsing.numbers import parse_count, parse_euros, parse_int
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import Ccsf, CcsfStage, Delai, Reject
from loaders.sources.identity import siret_ids

DELAIS = Layout(
    delimiter=";",
    required=(
        "Siret",
        "Numero_compte_externe",
        "Date_creation",
        "Date_echeance",
        "Duree_delai",
        "Montant_global_echeancier",
        "Code_externe_stade",
        "Code_externe_action",
    ),
    optional=("Urssaf_gestion", "Dep", "Numero_structure", "Denomination_premiere_ligne", "Indic_6M", "Annee_creation"),
)

CCSF = Layout(
    delimiter=";",
    required=("Siret", "Compte", "Date_de_traitement", "Code_externe_stade"),
    optional=("Urssaf_gestion", "Dep", "Code_externe_action"),
)


def _ccsf_stage(text: str) -> CcsfStage:
    try:
        return CcsfStage(text.upper())
    except ValueError:
        raise FieldError("stage must be one of " + ", ".join(s.value for s in CcsfStage)) from None


def _delai(row: Row) -> Delai:
    ids = siret_ids(row, "siret", urssaf=True)
    created = row.need("date_creation", parse_fr_date)
    due = row.get("date_echeance", parse_fr_date)
    if due is not None and due < created:
        raise row.fail("date_echeance", f"due date is before the creation date {created.isoformat()}")
    return Delai(
        line=row.line,
        siret=ids.siret,
        siren=ids.siren,
        compte=row.text("numero_compte_externe"),
        structure=row.text("numero_structure"),
        created_on=created,
        due_on=due,
        duration_days=row.get("duree_delai", parse_count),
        denomination=row.text("denomination_premiere_ligne"),
        indic_6m=row.text("indic_6m"),
        creation_year=row.get("annee_creation", parse_int),
        amount=row.get("montant_global_echeancier", parse_euros),
        stage=row.text("code_externe_stade"),
        action=row.text("code_externe_action"),
        pseudo_siret=ids.pseudo_siret,
    )


def _ccsf(row: Row) -> Ccsf:
    ids = siret_ids(row, "siret", urssaf=True)
    return Ccsf(
        line=row.line,
        siret=ids.siret,
        siren=ids.siren,
        compte=row.text("compte"),
        processed_on=row.need("date_de_traitement", parse_urssaf_date),
        stage=row.need("code_externe_stade", _ccsf_stage),
        action=row.text("code_externe_action"),
        pseudo_siret=ids.pseudo_siret,
    )


def read_delais(path: Path) -> Iterator[Delai | Reject]:
    """Reads ``sigfaible_delais*.csv`` (dates ``DD/MM/YYYY``, amount in euros).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, DELAIS, _delai)


def read_ccsf(path: Path) -> Iterator[Ccsf | Reject]:
    """Reads ``sigfaible_ccsf*.csv`` (``Date_de_traitement`` in URSSAF format).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, CCSF, _ccsf)
