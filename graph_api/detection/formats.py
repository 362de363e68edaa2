"""Writes an export table as CSV or XLSX bytes.

Cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``,
tab, carriage return first) are prefixed with a quote: company names come from
outside (Sirene) and must never run as formulas on an agent's machine (CSV
injection).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from openpyxl import Workbook

from graph_api.detection.table import Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    """The export formats, with their media types."""

    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        """The Content-Type of the format."""
        if self is ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _safe(value)
    return str(value)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: UTC, naive.
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return _safe(value)
    return value


def to_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheet software reads the accents), comma separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(c)) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table, title: str) -> bytes:
    """The table as an XLSX workbook of one sheet named ``title`` (at most 31 characters)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_xlsx_cell(row.get(c)) for c in table.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(table: Table, fmt: ExportFormat, title: str) -> bytes:
    """The table in ``fmt``."""
    return to_csv(table) if fmt is ExportFormat.CSV else to_xlsx(table, title)
