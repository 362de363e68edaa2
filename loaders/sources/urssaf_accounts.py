"""URSSAF contribution accounts: contributions due and paid, social-contribution debts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.parsing.dates import parse_urssaf_date
from loaders.parsing.numbers import parse_bool, parse_centimes, parse_euros, parse_int
from loaders.parsing.periods import parse_urssaf_period
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import CotisationDue, DebitLine, Reject
from loaders.sources.identity import siret_ids, siret_or_siren_ids

COTISATIONS = Layout(
    delimiter=";",
    required=("Siret", "Compte", "periode", "mer", "enc_direct", "cotis_due"),
    optional=("Urssaf_gestion", "Dep"),
)

DEBITS = Layout(
    delimiter=";",
    required=("num_cpte", "Siren", "Siret", "Periode", "Num_Ecn", "Num_Hist_Ecn", "Dt_trt_ecn", "Mt_PO", "Mt_PP"),
    optional=(
        "Urssaf_gestion",
        "Dep",
        "Dt_immat",
        "Etat_cpte",
        "Cd_pro_col",
        "Cd_op_ecn",
        "Motif_ecn",
        "Recours_en_cours",
    ),
)


def cotisation_record(row: Row) -> CotisationDue:
    """The record of one ``sigfaible_cotisdues`` row.

    Raises:
        RowError: a bad value.
    """
    ids = siret_ids(row, "siret", urssaf=True)
    return CotisationDue(
        line=row.line,
        siret=ids.siret,
        siren=ids.siren,
        compte=row.need_text("compte"),
        period=row.need("periode", parse_urssaf_period),
        due=row.get("cotis_due", parse_euros),
        paid=row.get("enc_direct", parse_euros),
        mer=row.get("mer", parse_euros),
        pseudo_siret=ids.pseudo_siret,
    )


def debit_record(row: Row) -> DebitLine:
    """The record of one ``sigfaible_debits`` row.

    Raises:
        RowError: a bad value.
    """
    ids = siret_or_siren_ids(row, "siret", "siren", urssaf=True)
    return DebitLine(
        line=row.line,
        compte=row.need_text("num_cpte"),
        siren=ids.siren,
        siret=ids.siret,
        registered_on=row.get("dt_immat", parse_urssaf_date),
        account_state=row.text("etat_cpte"),
        procedure_code=row.text("cd_pro_col"),
        period=row.need("periode", parse_urssaf_period),
        num_ecn=row.need_text("num_ecn"),
        num_hist_ecn=row.need("num_hist_ecn", parse_int),
        processed_on=row.need("dt_trt_ecn", parse_urssaf_date),
        employee_share=row.need("mt_po", parse_centimes),
        employer_share=row.need("mt_pp", parse_centimes),
        operation_code=row.text("cd_op_ecn"),
        motive=row.text("motif_ecn"),
        appeal_pending=row.get("recours_en_cours", parse_bool),
        pseudo_siret=ids.pseudo_siret,
    )


def read_cotisations(path: Path) -> Iterator[CotisationDue | Reject]:
    """Reads ``sigfaible_cotisdues*.csv`` (amounts in euros).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, COTISATIONS, cotisation_record)


def read_debits(path: Path) -> Iterator[DebitLine | Reject]:
    """Reads ``sigfaible_debits*.csv`` (``Mt_PO``/``Mt_PP`` in centimes, yielded in euros).

    Each row is one state of a debt line; rebuilding the current debt from the
    states is the measure store's job (``graphstore.measures.debt_series``).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, DEBITS, debit_record)
