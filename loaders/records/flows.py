"""Records of the supplier-flow files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class FluxFacturation:
    """Monthly e-invoicing between a supplier and a client, from ``flux_facturation*``.

    Attributes:
        month: ``mois`` (day 1).
        amount: ``montant_ht`` (euros excluding VAT).
        invoice_count: ``nb_factures``.
    """

    line: int
    supplier_siren: str
    client_siren: str
    month: date
    amount: Decimal
    invoice_count: int | None
