"""The measure store's tables: their columns, units and natural keys.

Every table also carries the provenance columns ``known_on`` (date the delivery
became known) and ``source_file`` (file name) inside its Parquet files, and
``delivery`` as a hive partition (``<table>/delivery=<id>/<file>.parquet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa


class Table(StrEnum):
    """One table per measure family (the folder name under ``measures_dir``)."""

    HEADCOUNT_ESTABLISHMENT = "effectif_etablissement"
    HEADCOUNT_COMPANY = "effectif_entreprise"
    CONTRIBUTIONS = "cotisations"
    DEBT_LINES = "debits"
    PAYMENT_PLANS = "delais"
    CCSF = "ccsf"
    AP_REQUESTS = "ap_demandes"
    AP_USAGE = "ap_consommation"
    BDF_RATIOS = "bdf_ratios"
    SUPPLIER_FLOWS = "flux_facturation"


@dataclass(frozen=True)
class TableSpec:
    """Columns and natural key of a table.

    Attributes:
        schema: the data columns (provenance columns excluded).
        key: the columns identifying one fact; a row re-sent later with the same
            key is a correction and replaces the earlier one.
    """

    schema: pa.Schema
    key: tuple[str, ...]


PROVENANCE_FIELDS: tuple[pa.Field, ...] = (
    pa.field("known_on", pa.date32(), nullable=False),
    pa.field("source_file", pa.string(), nullable=False),
)

_s, _d, _f, _i = pa.string(), pa.date32(), pa.float64(), pa.int64()

SPECS: dict[Table, TableSpec] = {
    # Headcount per establishment and month (persons), from sigfaible_effectif.
    Table.HEADCOUNT_ESTABLISHMENT: TableSpec(
        pa.schema([("siret", _s), ("siren", _s), ("month", _d), ("headcount", _f)]), ("siret", "month")
    ),
    # Headcount per company and month (persons), from sigfaible_effectif_siren.
    Table.HEADCOUNT_COMPANY: TableSpec(
        pa.schema([("siren", _s), ("month", _d), ("headcount", _f)]), ("siren", "month")
    ),
    # Contributions in euros over a period of `months` months starting at `period_start`.
    Table.CONTRIBUTIONS: TableSpec(
        pa.schema(
            [
                ("siret", _s),
                ("siren", _s),
                ("compte", _s),
                ("period_start", _d),
                ("months", _i),
                ("mer", _f),
                ("paid", _f),
                ("due", _f),
            ]
        ),
        ("compte", "period_start", "months"),
    ),
    # Debt line states; amounts in centimes (exact integers), as delivered.
    Table.DEBT_LINES: TableSpec(
        pa.schema(
            [
                ("num_cpte", _s),
                ("siren", _s),
                ("siret", _s),
                ("period_start", _d),
                ("period_end", _d),
                ("num_ecn", _s),
                ("num_hist_ecn", _i),
                ("processed_on", _d),
                ("amount_po", _i),
                ("amount_pp", _i),
                ("op_code", _s),
                ("motif", _s),
                ("appeal", _s),
                ("account_state", _s),
                ("pcoll_code", _s),
                ("registered_on", _d),
            ]
        ),
        ("num_cpte", "period_start", "period_end", "num_ecn", "num_hist_ecn"),
    ),
    # Payment plans granted (délais); amount in euros.
    Table.PAYMENT_PLANS: TableSpec(
        pa.schema(
            [
                ("siret", _s),
                ("siren", _s),
                ("compte", _s),
                ("created_on", _d),
                ("due_on", _d),
                ("duration_days", _i),
                ("amount", _f),
                ("stage", _s),
                ("action", _s),
            ]
        ),
        ("compte", "created_on"),
    ),
    # CCSF procedures, one row per stage reached.
    Table.CCSF: TableSpec(
        pa.schema([("siret", _s), ("siren", _s), ("compte", _s), ("processed_on", _d), ("stage", _s), ("action", _s)]),
        ("compte", "processed_on", "stage"),
    ),
    # Short-time work authorisation requests; hours, euros, persons.
    Table.AP_REQUESTS: TableSpec(
        pa.schema(
            [
                ("id_da", _s),
                ("siret", _s),
                ("siren", _s),
                ("company_headcount", _f),
                ("establishment_headcount", _f),
                ("status_on", _d),
                ("starts_on", _d),
                ("ends_on", _d),
                ("hours_authorised", _f),
                ("amount_authorised", _f),
                ("headcount_authorised", _f),
                ("reason", _s),
                ("scope", _s),
            ]
        ),
        ("id_da",),
    ),
    # Short-time work used per request and month; hours, euros, persons.
    Table.AP_USAGE: TableSpec(
        pa.schema(
            [
                ("id_da", _s),
                ("siret", _s),
                ("siren", _s),
                ("month", _d),
                ("hours", _f),
                ("amount", _f),
                ("headcount", _f),
            ]
        ),
        ("id_da", "month"),
    ),
    # Banque de France yearly ratios (%; delai_fournisseurs in days).
    Table.BDF_RATIOS: TableSpec(
        pa.schema(
            [
                ("siren", _s),
                ("year", _i),
                ("closed_on", _d),
                ("poids_frng", _f),
                ("taux_marge", _f),
                ("delai_fournisseurs", _f),
                ("poids_dettes_fiscales_sociales", _f),
                ("poids_financement_court_terme", _f),
                ("poids_frais_financiers", _f),
            ]
        ),
        ("siren", "closed_on"),
    ),
    # Monthly B2B invoicing between two companies; euros excluding VAT.
    Table.SUPPLIER_FLOWS: TableSpec(
        pa.schema([("supplier", _s), ("client", _s), ("month", _d), ("amount", _f), ("invoices", _i)]),
        ("supplier", "client", "month"),
    ),
}


def full_schema(table: Table) -> pa.Schema:
    """The schema of a table's Parquet files: data columns then provenance."""
    schema = SPECS[table].schema
    for f in PROVENANCE_FIELDS:
        schema = schema.append(f)
    return schema
