"""BODACC published insolvency judgments (``bodacc_pcl*``, open-data export).

``registre`` holds the SIREN, possibly with spaces, and sometimes several
SIRENs separated by commas: the notice then yields one record per SIREN, and a
bad SIREN among them is rejected alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from loaders.parsing.dates import parse_iso_date
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren, parse_sirens
from loaders.parsing.procedures import classify_judgment
from loaders.parsing.table import Layout, Row, RowError, Table
from loaders.records import BodaccJudgment, Reject

BODACC = Layout(
    delimiter=";",
    required=("id", "dateparution", "familleavis", "registre", "jugement_nature", "jugement_date"),
    optional=("numeroannonce", "typeavis", "numerodepartement", "tribunal"),
)

COLLECTIVE = "collective"


def _judgments(table: Table, row: Row) -> Iterator[BodaccJudgment | Reject]:
    family = row.need_text("familleavis")
    if family.lower() != COLLECTIVE:
        raise row.fail("familleavis", "not an insolvency notice (familleavis must be 'collective')")
    nature = row.need_text("jugement_nature")
    kind, stage = classify_judgment(nature)
    notice = BodaccJudgment(
        line=row.line,
        id=row.need_text("id"),
        siren="",
        published_on=row.need("dateparution", parse_iso_date),
        announcement_number=row.text("numeroannonce"),
        family=family,
        notice_type=row.text("typeavis"),
        departement=row.text("numerodepartement"),
        tribunal=row.text("tribunal"),
        nature=nature,
        judgment_date=row.get("jugement_date", parse_iso_date),
        kind=kind,
        stage=stage,
    )
    seen: set[str] = set()
    for candidate in row.need("registre", parse_sirens):
        try:
            siren = parse_siren(candidate)
        except FieldError as exc:
            yield table.reject(row.line, row.name("registre"), candidate, exc.reason)
            continue
        if siren not in seen:
            seen.add(siren)
            yield replace(notice, siren=siren)


def read_bodacc(path: Path) -> Iterator[BodaccJudgment | Reject]:
    """Reads ``bodacc_pcl*.csv``: one record per (notice, SIREN).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    table = Table(path, BODACC)
    for row in table.rows():
        if isinstance(row, Reject):
            yield row
            continue
        try:
            # Shared fields are checked before the first SIREN is yielded, so a
            # RowError here always rejects the whole notice and nothing else.
            yield from _judgments(table, row)
        except RowError as exc:
            yield table.reject(row.line, exc.column, exc.value, exc.reason)
