"""Monthly B2B e-invoicing aggregates between companies (``flux_facturation*``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from loaders.parsing.dates import parse_month
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren
from loaders.parsing.numbers import parse_count, parse_euros
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import FluxFacturation, Reject

FLUX = Layout(delimiter=";", required=("siren_fournisseur", "siren_client", "mois", "montant_ht", "nb_factures"))


def _amount(text: str) -> Decimal:
    value = parse_euros(text)
    # Dependencies are shares of invoiced sales: a negative month would make
    # them meaningless, and corrections arrive as replacement rows instead.
    if value < 0:
        raise FieldError("amount must not be negative")
    return value


def flux_record(row: Row) -> FluxFacturation:
    """The record of one ``flux_facturation`` row.

    Raises:
        RowError: a bad value.
    """
    supplier = row.need("siren_fournisseur", parse_siren)
    client = row.need("siren_client", parse_siren)
    if supplier == client:
        raise row.fail("siren_client", "a company cannot be its own client")
    return FluxFacturation(
        line=row.line,
        supplier_siren=supplier,
        client_siren=client,
        month=row.need("mois", parse_month),
        amount=row.need("montant_ht", _amount),
        invoice_count=row.get("nb_factures", parse_count),
    )


def read_flux(path: Path) -> Iterator[FluxFacturation | Reject]:
    """Reads ``flux_facturation*.csv`` (``mois`` = ``YYYY-MM``, euros excluding VAT).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, FLUX, flux_record)
