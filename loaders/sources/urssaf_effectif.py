"""URSSAF monthly headcount, delivered wide (one ``effYYYYQM`` column per month).

Each row is unpivoted into one :class:`EffectifMonth` per filled month cell. A
bad id rejects the row; a bad cell rejects only that month (the Reject names
the column), the other months of the row still load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from loaders.parsing.codes import parse_naf
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren
from loaders.parsing.numbers import parse_count
from loaders.parsing.periods import parse_urssaf_period
from loaders.parsing.table import Layout, Row, RowError, Table
from loaders.records import EffectifMonth, FileRejected, Reject
from loaders.sources.identity import Ids, siret_ids

_EFF_COLUMN = re.compile(r"eff(\d+)")
_DESCRIPTIVE = ("rais_soc", "ape_ins", "dep")

EFFECTIF_ETABLISSEMENT = Layout(delimiter=";", required=("compte", "siret"), optional=_DESCRIPTIVE, dynamic=_EFF_COLUMN)
EFFECTIF_ENTREPRISE = Layout(delimiter=";", required=("siren",), optional=_DESCRIPTIVE, dynamic=_EFF_COLUMN)


def month_columns(table: Table) -> list[tuple[str, int, date]]:
    """(header name, position, month) of the ``effYYYYQM`` columns.

    Raises:
        FileRejected: none, one naming more than a month, or two naming the same month.
    """
    columns: list[tuple[str, int, date]] = []
    for name, position in table.columns_matching(_EFF_COLUMN):
        try:
            span = parse_urssaf_period(name[3:])
        except FieldError as exc:
            raise FileRejected(table.file, f"column {name}: {exc.reason}") from None
        if not span.is_month:
            raise FileRejected(table.file, f"column {name}: names {span.count} months, a headcount column names one")
        twin = next((other for other, _, month in columns if month == span.first), None)
        if twin is not None:
            raise FileRejected(table.file, f"columns {twin} and {name} both name the month {span.first:%Y-%m}")
        columns.append((name, position, span.first))
    if not columns:
        raise FileRejected(table.file, "missing required column(s): effYYYYQM (one column per month)")
    return columns


def _ids(row: Row, company_level: bool) -> Ids:
    if company_level:
        return Ids(row.need("siren", parse_siren), None, False)
    est = siret_ids(row, "siret", urssaf=True)
    return Ids(est.siren, est.siret, est.pseudo_siret)


def _read(path: Path, layout: Layout, company_level: bool) -> Iterator[EffectifMonth | Reject]:
    table = Table(path, layout)
    months = month_columns(table)
    for row in table.rows():
        if isinstance(row, Reject):
            yield row
            continue
        yield from effectif_records(table, row, months, company_level)


def effectif_records(
    table: Table, row: Row, months: list[tuple[str, int, date]], company_level: bool
) -> Iterator[EffectifMonth | Reject]:
    """The records (one per filled month cell) and rejects of one headcount row.

    Args:
        table: the file.
        row: the row.
        months: ``month_columns(table)``.
        company_level: a ``sigfaible_effectif_siren`` file.
    """
    try:
        ids = _ids(row, company_level)
        compte = None if company_level else row.text("compte")
        name, naf, dep = row.text("rais_soc"), row.get("ape_ins", parse_naf), row.text("dep")
    except RowError as exc:
        yield table.reject(row.line, exc.column, exc.value, exc.reason)
        return
    yield from _months_of(table, row, months, ids, compte, name, naf, dep)


def _months_of(
    table: Table,
    row: Row,
    months: list[tuple[str, int, date]],
    ids: Ids,
    compte: str | None,
    name: str | None,
    naf: str | None,
    dep: str | None,
) -> Iterator[EffectifMonth | Reject]:
    for column, position, month in months:
        value = row.at(position)
        if value is None:
            continue  # an empty cell is an unknown month, not a zero
        try:
            headcount = parse_count(value)
        except FieldError as exc:
            yield table.reject(row.line, column, value, f"headcount {exc.reason}")
            continue
        yield EffectifMonth(
            line=row.line,
            siren=ids.siren,
            siret=ids.siret,
            compte=compte,
            name=name,
            naf=naf,
            departement=dep,
            month=month,
            headcount=headcount,
            pseudo_siret=ids.pseudo_siret,
        )


def read_effectif_etablissements(path: Path) -> Iterator[EffectifMonth | Reject]:
    """Reads ``sigfaible_effectif*.csv`` (per establishment: ``compte;siret;…``).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all, has no ``effYYYYQM``
            column, or one that does not name a single month.
    """
    return _read(path, EFFECTIF_ETABLISSEMENT, company_level=False)


def read_effectif_entreprises(path: Path) -> Iterator[EffectifMonth | Reject]:
    """Reads ``sigfaible_effectif_siren*.csv`` (per company: ``siren;…``).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: as :func:`read_effectif_etablissements`.
    """
    return _read(path, EFFECTIF_ENTREPRISE, company_level=True)
