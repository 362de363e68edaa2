"""Measure files into the measure store: one partition per (table, delivery, file).

URSSAF headcount, contributions, debts, payment plans and CCSF; DGEFP short-time
work; Banque de France ratios; supplier flows. Nothing here touches the graph
except the pseudo-SIRET establishments the headcount files reveal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import chain
from typing import Any

from graphstore.measures import Table
from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import (
    ApConsommation,
    ApDemande,
    BdfRatios,
    Ccsf,
    CotisationDue,
    DebitLine,
    Delai,
    EffectifMonth,
    FluxFacturation,
    Record,
)

Row = dict[str, Any]

PSEUDO_SIRETS = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (e:Establishment {siret: row.siret})
  ON CREATE SET e.siren = row.siren, e.name = row.name, e.naf = row.naf, e.pseudo_siret = true,
    e.source_file = $source_file, e.delivery = $delivery, e.known_on = $known_on, e.first_known_on = $known_on
MERGE (e)-[p:PART_OF]->(c)
  ON CREATE SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on, p.first_known_on = $known_on
"""


def _eur(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _centimes(v: Decimal) -> int:
    return int(v * 100)


def headcount_establishment_row(r: EffectifMonth) -> Row:
    return {"siret": r.siret, "siren": r.siren, "month": r.month, "headcount": float(r.headcount)}


def headcount_company_row(r: EffectifMonth) -> Row:
    return {"siren": r.siren, "month": r.month, "headcount": float(r.headcount)}


def _contribution(r: CotisationDue) -> Row:
    return {
        "siret": r.siret, "siren": r.siren, "compte": r.compte, "period_start": r.period.first,
        "months": r.period.count, "mer": _eur(r.mer), "paid": _eur(r.paid), "due": _eur(r.due),
    }  # fmt: skip


def _debit(r: DebitLine) -> Row:
    return {
        "num_cpte": r.compte, "siren": r.siren, "siret": r.siret, "period_start": r.period.first,
        "period_end": r.period.last, "num_ecn": r.num_ecn, "num_hist_ecn": r.num_hist_ecn,
        "processed_on": r.processed_on, "amount_po": _centimes(r.employee_share),
        "amount_pp": _centimes(r.employer_share), "op_code": r.operation_code, "motif": r.motive,
        "appeal": None if r.appeal_pending is None else str(r.appeal_pending).lower(),
        "account_state": r.account_state, "pcoll_code": r.procedure_code, "registered_on": r.registered_on,
    }  # fmt: skip


def _delai(r: Delai) -> Row:
    return {
        "siret": r.siret, "siren": r.siren, "compte": r.compte or r.siret, "created_on": r.created_on,
        "due_on": r.due_on, "duration_days": r.duration_days, "amount": _eur(r.amount), "stage": r.stage,
        "action": r.action,
    }  # fmt: skip


def _ccsf(r: Ccsf) -> Row:
    return {
        "siret": r.siret, "siren": r.siren, "compte": r.compte or r.siret, "processed_on": r.processed_on,
        "stage": r.stage.value, "action": r.action,
    }  # fmt: skip


def _ap_request(r: ApDemande) -> Row:
    return {
        "id_da": r.id_da, "siret": r.siret, "siren": r.siren, "company_headcount": r.company_headcount,
        "establishment_headcount": r.establishment_headcount, "status_on": r.status_on, "starts_on": r.start,
        "ends_on": r.end, "hours_authorised": r.hours, "amount_authorised": _eur(r.amount),
        "headcount_authorised": r.authorised_headcount,
        "reason": None if r.motive is None else str(r.motive.value), "scope": r.perimeter,
    }  # fmt: skip


def _ap_usage(r: ApConsommation) -> Row:
    return {
        "id_da": r.id_da, "siret": r.siret, "siren": r.siren, "month": r.month, "hours": r.hours,
        "amount": _eur(r.amount), "headcount": r.headcount,
    }  # fmt: skip


def _bdf(r: BdfRatios) -> Row:
    return {
        "siren": r.siren, "year": r.year, "closed_on": r.closing_date, "poids_frng": r.poids_frng,
        "taux_marge": r.taux_marge, "delai_fournisseurs": r.delai_fournisseurs,
        "poids_dettes_fiscales_sociales": r.poids_dettes_fiscales_sociales,
        "poids_financement_court_terme": r.poids_financement_court_terme,
        "poids_frais_financiers": r.poids_frais_financiers,
    }  # fmt: skip


def _flow(r: FluxFacturation) -> Row:
    return {
        "supplier": r.supplier_siren, "client": r.client_siren, "month": r.month, "amount": float(r.amount),
        "invoices": r.invoice_count,
    }  # fmt: skip


# Record type -> (table, row mapper). EffectifMonth is routed by its level below.
MAPPERS: dict[type, tuple[Table, Callable[[Any], Row]]] = {
    CotisationDue: (Table.CONTRIBUTIONS, _contribution),
    DebitLine: (Table.DEBT_LINES, _debit),
    Delai: (Table.PAYMENT_PLANS, _delai),
    Ccsf: (Table.CCSF, _ccsf),
    ApDemande: (Table.AP_REQUESTS, _ap_request),
    ApConsommation: (Table.AP_USAGE, _ap_usage),
    BdfRatios: (Table.BDF_RATIOS, _bdf),
    FluxFacturation: (Table.SUPPLIER_FLOWS, _flow),
}


def load_measures(ctx: LoadContext, records: Iterable[Record]) -> IngestCounts:
    """Writes a measure file's records to its table, as one atomic partition.

    The first record decides the table (a file holds one record type); an empty file
    writes nothing.
    """
    it = iter(records)
    first = next(it, None)
    if first is None:
        return IngestCounts()
    rest = chain([first], it)
    if isinstance(first, EffectifMonth):
        return _load_headcount(ctx, first, rest)
    table, mapper = MAPPERS[type(first)]
    n = ctx.measures.write(table, (mapper(r) for r in rest), ctx.provenance)
    if ctx.on_batch is not None:
        ctx.on_batch(n)
    return IngestCounts(loaded=n)


def _load_headcount(ctx: LoadContext, first: EffectifMonth, records: Iterable[Record]) -> IngestCounts:
    company_level = first.siret is None
    pseudo: dict[str, Row] = {}

    def rows() -> Iterator[Row]:
        for r in records:
            assert isinstance(r, EffectifMonth)  # one record type per file
            if company_level:
                yield headcount_company_row(r)
                continue
            if r.pseudo_siret and r.siret and r.siret not in pseudo:
                pseudo[r.siret] = {"siret": r.siret, "siren": r.siren, "name": r.name, "naf": r.naf}
            yield headcount_establishment_row(r)

    table = Table.HEADCOUNT_COMPANY if company_level else Table.HEADCOUNT_ESTABLISHMENT
    n = ctx.measures.write(table, rows(), ctx.provenance)
    if pseudo:
        ctx.write(PSEUDO_SIRETS, pseudo.values())
    if ctx.on_batch is not None:
        ctx.on_batch(n)
    return IngestCounts(loaded=n)
