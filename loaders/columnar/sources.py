"""Columnar readers of the largest measure files: headcount, contributions, debits, supplier flows.

Each turns a chunk of lines into a piece of its measure table in a few column
operations. A row whose cells are not all in their plain form
(``loaders.columnar.checks``) goes through the source's row reader instead,
which yields its record(s) or its exact reject(s): the two paths give the same
rows and the same rejects as reading the whole file row by row
(``tests/loaders/readers/test_columnar.py`` holds them to it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphstore.measures import SPECS
from graphstore.measures import Table as MeasureTable
from loaders.columnar import checks as ck
from loaders.columnar.chunks import Chunk, chunks
from loaders.ingest.to_measures import MAPPERS, headcount_company_row, headcount_establishment_row
from loaders.parsing.codes import parse_naf
from loaders.parsing.numbers import FALSE_WORDS, TRUE_WORDS
from loaders.parsing.table import Row, RowError, Table
from loaders.records import CotisationDue, DebitLine, EffectifMonth, FluxFacturation, Record, Reject
from loaders.sources.flows import FLUX, flux_record
from loaders.sources.urssaf_accounts import COTISATIONS, DEBITS, cotisation_record, debit_record
from loaders.sources.urssaf_effectif import (
    EFFECTIF_ENTREPRISE,
    EFFECTIF_ETABLISSEMENT,
    effectif_records,
    month_columns,
)

Items = Callable[[Row], Iterable[Record | Reject]]


@dataclass
class Piece:
    """What one chunk of a file gave.

    Attributes:
        data: rows of the measure table (its data columns).
        rejects: the chunk's rejects, in line order.
        last_line: the last line that gave a record or a reject (0: none).
        pseudo: (line, establishment) of the pseudo-SIRETs seen (headcount files), in line order.
    """

    data: pa.Table
    rejects: list[Reject]
    last_line: int
    pseudo: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ColumnarFile:
    """A file opened by a columnar reader (whole-file checks done).

    Attributes:
        table: the measure table its rows go to.
        pieces: its chunks, converted lazily in file order.
    """

    table: MeasureTable
    pieces: Iterator[Piece]


def _one(build: Callable[[Row], Record], table: Table) -> Items:
    def items(row: Row) -> Iterator[Record | Reject]:
        try:
            yield build(row)
        except RowError as exc:
            yield table.reject(row.line, exc.column, exc.value, exc.reason)

    return items


def _piece(
    chunk: Chunk, mtable: MeasureTable, fast: pa.Table, fast_lines: np.ndarray[Any, Any], slow: np.ndarray[Any, Any],
    items: Items, to_row: Callable[[Any], dict[str, Any]],
) -> Piece:  # fmt: skip
    """Joins the fast rows with what the row reader makes of the slow ones."""
    rows: list[dict[str, Any]] = []
    rejects = list(chunk.rejects)
    last = int(fast_lines.max()) if len(fast_lines) else 0
    pseudo: list[tuple[int, dict[str, Any]]] = []
    for i in slow.tolist():
        for item in items(chunk.row(i)):
            last = max(last, item.line)
            if isinstance(item, Reject):
                rejects.append(item)
                continue
            rows.append(to_row(item))
            if isinstance(item, EffectifMonth) and item.pseudo_siret and item.siret:
                pseudo.append((item.line, _pseudo(item.siret, item.siren, item.name, item.naf)))
    if rejects:
        last = max(last, max(r.line for r in rejects))
    rejects.sort(key=lambda r: r.line)
    data = fast if not rows else pa.concat_tables([fast, pa.Table.from_pylist(rows, schema=SPECS[mtable].schema)])
    return Piece(data, rejects, last, pseudo)


def _pseudo(siret: str, siren: str, name: str | None, naf: str | None) -> dict[str, Any]:
    return {"siret": siret, "siren": siren, "name": name, "naf": naf}


# -- supplier flows ---------------------------------------------------------------


def _flows(chunk: Chunk) -> Piece:
    sup, cli = chunk.column("siren_fournisseur"), chunk.column("siren_client")
    month_ok, days = ck.plain_months(chunk.column("mois"))
    amount, invoices = chunk.column("montant_ht"), chunk.column("nb_factures")
    ok = (
        ck.siren_ok(sup) & ck.siren_ok(cli) & ~ck.mask(pc.equal(sup, cli)) & month_ok
        & ck.plain(amount, r"\d{1,13}(\.\d{1,6})?") & ck.plain(invoices, ck.COUNT, empty_ok=True)
    )  # fmt: skip
    idx = pa.array(np.flatnonzero(ok))
    fast = pa.table(
        {
            "supplier": sup.take(idx),
            "client": cli.take(idx),
            "month": ck.dates(days[ok]),
            "amount": ck.floats(amount.take(idx)),
            "invoices": ck.ints(invoices.take(idx)),
        },
        schema=SPECS[MeasureTable.SUPPLIER_FLOWS].schema,
    )
    items = _one(flux_record, chunk.table)
    mapper = MAPPERS[FluxFacturation][1]
    return _piece(chunk, MeasureTable.SUPPLIER_FLOWS, fast, chunk.line_array()[ok], np.flatnonzero(~ok), items, mapper)


def read_flows(path: Path) -> ColumnarFile:
    """Opens a ``flux_facturation`` file (raises ``FileRejected`` like ``read_flux``)."""
    table = Table(path, FLUX)
    return ColumnarFile(MeasureTable.SUPPLIER_FLOWS, (_flows(c) for c in chunks(table)))


# -- contributions ----------------------------------------------------------------


def _cotisations(chunk: Chunk) -> Piece:
    siret, compte = chunk.column("siret"), chunk.column("compte")
    siret_ok, _ = ck.urssaf_siret_ok(siret)
    period_ok, first, count = ck.plain_periods(chunk.column("periode"))
    mer, paid, due = chunk.column("mer"), chunk.column("enc_direct"), chunk.column("cotis_due")
    ok = siret_ok & ck.plain(compte, ck.ACCOUNT) & period_ok
    for amounts in (mer, paid, due):
        ok &= ck.plain(amounts, ck.EUROS, empty_ok=True)
    idx = pa.array(np.flatnonzero(ok))
    sirets = siret.take(idx)
    fast = pa.table(
        {
            "siret": sirets,
            "siren": pc.utf8_slice_codeunits(sirets, 0, 9),
            "compte": compte.take(idx),
            "period_start": ck.dates(first[ok]),
            "months": pa.array(count[ok], pa.int64()),
            "mer": ck.floats(mer.take(idx)),
            "paid": ck.floats(paid.take(idx)),
            "due": ck.floats(due.take(idx)),
        },
        schema=SPECS[MeasureTable.CONTRIBUTIONS].schema,
    )
    items = _one(cotisation_record, chunk.table)
    mapper = MAPPERS[CotisationDue][1]
    return _piece(chunk, MeasureTable.CONTRIBUTIONS, fast, chunk.line_array()[ok], np.flatnonzero(~ok), items, mapper)


def read_cotisations(path: Path) -> ColumnarFile:
    """Opens a ``sigfaible_cotisdues`` file (raises ``FileRejected`` like the row reader)."""
    table = Table(path, COTISATIONS)
    return ColumnarFile(MeasureTable.CONTRIBUTIONS, (_cotisations(c) for c in chunks(table)))


# -- debits -------------------------------------------------------------------------

_BOOL_TEXT = r"[A-Za-z01]{1,5}"  # an ASCII flag; which words it may be is checked against the parser's sets


def _flags(arr: pa.StringArray) -> tuple[ck.Mask, pa.Array]:
    """Plain ``parse_bool`` cells (or empty) and the mapper's ``"true"``/``"false"``/null."""
    low = pc.utf8_lower(arr)
    true = ck.mask(pc.is_in(low, pa.array(sorted(TRUE_WORDS))))
    false = ck.mask(pc.is_in(low, pa.array(sorted(FALSE_WORDS))))
    ok = (ck.plain(arr, _BOOL_TEXT) & (true | false)) | ck.empty(arr)
    out = pa.array(np.where(true, "true", "false").tolist(), pa.string())
    return ok, pc.if_else(pa.array(ck.empty(arr)), pa.scalar(None, pa.string()), out)


def _debits(chunk: Chunk) -> Piece:
    compte, siren, siret = chunk.column("num_cpte"), chunk.column("siren"), chunk.column("siret")
    siret_ok, _ = ck.urssaf_siret_ok(siret)
    siren_empty, siret_empty = ck.empty(siren), ck.empty(siret)
    same_siren = ck.mask(pc.equal(siren, pc.utf8_slice_codeunits(siret, 0, 9)))
    ids_ok = (siret_ok & (siren_empty | same_siren)) | (siret_empty & ck.siren_ok(siren))
    registered_ok, registered = ck.plain_urssaf_dates(chunk.column("dt_immat"), empty_ok=True)
    processed_ok, processed = ck.plain_urssaf_dates(chunk.column("dt_trt_ecn"))
    period_ok, first, count = ck.plain_periods(chunk.column("periode"))
    num_ecn, num_hist = chunk.column("num_ecn"), chunk.column("num_hist_ecn")
    po, pp = chunk.column("mt_po"), chunk.column("mt_pp")
    texts = {name: chunk.column(name) for name in ("etat_cpte", "cd_pro_col", "cd_op_ecn", "motif_ecn")}
    appeal_ok, appeal = _flags(chunk.column("recours_en_cours"))
    ok = (
        ck.plain(compte, ck.ACCOUNT) & ids_ok & registered_ok & processed_ok & period_ok & appeal_ok
        & ck.plain(num_ecn, ck.TEXT) & ck.plain(num_hist, ck.WHOLE) & ck.plain(po, ck.CENTIMES)
        & ck.plain(pp, ck.CENTIMES)
    )  # fmt: skip
    for column in texts.values():
        ok &= ck.plain(column, ck.TEXT, empty_ok=True)
    idx = pa.array(np.flatnonzero(ok))
    # Last month of the period: its first month plus the months it covers, minus one.
    last = (first[ok].astype("datetime64[D]").astype("datetime64[M]") + (count[ok] - 1)).astype("datetime64[D]")
    sirets = siret.take(idx)
    fast = pa.table(
        {
            "num_cpte": compte.take(idx),
            "siren": pc.if_else(pa.array(siret_empty[ok]), siren.take(idx), pc.utf8_slice_codeunits(sirets, 0, 9)),
            "siret": ck.texts(sirets),
            "period_start": ck.dates(first[ok]),
            "period_end": ck.dates(last.astype(np.int32)),
            "num_ecn": num_ecn.take(idx),
            "num_hist_ecn": ck.ints(num_hist.take(idx)),
            "processed_on": ck.dates(processed[ok]),
            "amount_po": ck.ints(po.take(idx)),
            "amount_pp": ck.ints(pp.take(idx)),
            "op_code": ck.texts(texts["cd_op_ecn"].take(idx)),
            "motif": ck.texts(texts["motif_ecn"].take(idx)),
            "appeal": appeal.take(idx),
            "account_state": ck.texts(texts["etat_cpte"].take(idx)),
            "pcoll_code": ck.texts(texts["cd_pro_col"].take(idx)),
            "registered_on": pc.if_else(
                pa.array(ck.empty(chunk.column("dt_immat"))[ok]), pa.scalar(None, pa.date32()), ck.dates(registered[ok])
            ),
        },
        schema=SPECS[MeasureTable.DEBT_LINES].schema,
    )
    items = _one(debit_record, chunk.table)
    mapper = MAPPERS[DebitLine][1]
    return _piece(chunk, MeasureTable.DEBT_LINES, fast, chunk.line_array()[ok], np.flatnonzero(~ok), items, mapper)


def read_debits(path: Path) -> ColumnarFile:
    """Opens a ``sigfaible_debits`` file (raises ``FileRejected`` like the row reader)."""
    table = Table(path, DEBITS)
    return ColumnarFile(MeasureTable.DEBT_LINES, (_debits(c) for c in chunks(table)))


# -- headcount ----------------------------------------------------------------------


def _effectif(chunk: Chunk, months: list[tuple[str, int, date]], company_level: bool) -> Piece:
    if company_level:
        ids = chunk.column("siren")
        ok, pseudo = ck.siren_ok(ids), np.zeros(len(chunk), np.bool_)
    else:
        ids = chunk.column("siret")
        ok, pseudo = ck.urssaf_siret_ok(ids)
    ok &= ck.plain(chunk.column("ape_ins"), ck.NAF, empty_ok=True)
    cells = [chunk.at(position) for _, position, _ in months]
    filled = np.zeros(len(chunk), np.int64)
    for column in cells:
        ok &= ck.plain(column, ck.COUNT, empty_ok=True)
        filled += ~ck.empty(column)
    idx = pa.array(np.flatnonzero(ok))
    good_ids = ids.take(idx)
    parts: list[pa.Table] = []
    for column, (_, _, month) in zip(cells, months, strict=True):
        values = column.take(idx)
        keep = pc.not_equal(values, "")
        key = good_ids.filter(keep)
        n = len(key)
        part = {"siret": key, "siren": pc.utf8_slice_codeunits(key, 0, 9)} if not company_level else {"siren": key}
        part["month"] = pa.array([month] * n, pa.date32())
        part["headcount"] = pc.cast(pc.cast(values.filter(keep), pa.int64()), pa.float64())
        parts.append(pa.table(part))
    mtable = MeasureTable.HEADCOUNT_COMPANY if company_level else MeasureTable.HEADCOUNT_ESTABLISHMENT
    schema = SPECS[mtable].schema
    fast = pa.concat_tables(parts).select(schema.names).cast(schema) if parts else schema.empty_table()
    gives = ok & (filled > 0)
    piece = _piece(
        chunk, mtable, fast, chunk.line_array()[gives], np.flatnonzero(~ok),
        lambda row: effectif_records(chunk.table, row, months, company_level),
        headcount_company_row if company_level else headcount_establishment_row,
    )  # fmt: skip
    fast_pseudo = [(chunk.lines[i], _pseudo_of(chunk, i)) for i in np.flatnonzero(gives & pseudo).tolist()]
    if fast_pseudo:
        piece.pseudo = sorted(piece.pseudo + fast_pseudo, key=lambda lp: lp[0])
    return piece


def _pseudo_of(chunk: Chunk, i: int) -> dict[str, Any]:
    row = chunk.row(i)
    siret = row.need_text("siret")
    return _pseudo(siret, siret[:9], row.text("rais_soc"), row.get("ape_ins", parse_naf))


def read_effectif(path: Path, company_level: bool) -> ColumnarFile:
    """Opens a ``sigfaible_effectif`` (or ``_siren``) file; raises ``FileRejected`` like the row reader."""
    table = Table(path, EFFECTIF_ENTREPRISE if company_level else EFFECTIF_ETABLISSEMENT)
    months = month_columns(table)
    mtable = MeasureTable.HEADCOUNT_COMPANY if company_level else MeasureTable.HEADCOUNT_ESTABLISHMENT
    return ColumnarFile(mtable, (_effectif(c, months, company_level) for c in chunks(table)))


COLUMNAR: dict[str, Callable[[Path], ColumnarFile]] = {
    "flux_facturation": read_flows,
    "urssaf_cotisations": read_cotisations,
    "urssaf_debits": read_debits,
    "urssaf_effectif": lambda path: read_effectif(path, company_level=False),
    "urssaf_effectif_entreprises": lambda path: read_effectif(path, company_level=True),
}
