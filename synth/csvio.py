"""Writing delimited files, with the real-world defects injected at a controlled rate."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Layout:
    """How a file family is written.

    Attributes:
        family: file-name prefix (``sigfaible_debits``), also the family key.
        sep: delimiter.
        quote_all: quote every field (DGEFP files).
        id_columns: columns holding a SIREN or SIRET (candidates for a bad id).
        date_columns: columns holding a date or period (candidates for a bad date).
    """

    family: str
    sep: str
    quote_all: bool = False
    id_columns: tuple[str, ...] = ()
    date_columns: tuple[str, ...] = ()


@dataclass
class Malformed:
    """A row made unreadable on purpose: where and how."""

    file: str
    line: int
    kind: str
    column: str


@dataclass
class MessInjector:
    """Corrupts a small share of data rows and records each corruption.

    Args:
        rng: random generator.
        rate: share of data rows to corrupt.
    """

    rng: np.random.Generator
    rate: float
    records: list[Malformed] = field(default_factory=list)

    def corrupt(self, name: str, lines: list[str], header: Sequence[str], layout: Layout) -> None:
        """Corrupts lines in place; line numbers are 1-based with the header as line 1."""
        n = len(lines)
        if n == 0 or self.rate <= 0:
            return
        count = int(self.rng.binomial(n, self.rate))
        if count == 0:
            return
        rows = self.rng.choice(n, size=min(count, n), replace=False)
        cols = [c.lower() for c in header]
        quoting = _quoting(layout)
        for r in sorted(rows.tolist()):
            kinds = ["truncated"]
            if layout.id_columns:
                kinds.append("bad_id")
            if layout.date_columns:
                kinds.append("bad_date")
            kind = str(self.rng.choice(kinds))
            line = lines[r]
            if kind == "truncated":
                cut = line.rfind(layout.sep)
                pos = int(self.rng.integers(max(cut // 2, 1), max(cut, 2)))
                lines[r] = line[:pos]
                self.records.append(Malformed(name, r + 2, kind, ""))
                continue
            fields = next(csv.reader([line], delimiter=layout.sep))
            column = str(self.rng.choice(layout.id_columns if kind == "bad_id" else layout.date_columns))
            k = cols.index(column.lower())
            fields[k] = _bad_id(fields[k], self.rng) if kind == "bad_id" else _bad_date(fields[k])
            buf = io.StringIO()
            csv.writer(buf, delimiter=layout.sep, quoting=quoting, lineterminator="").writerow(fields)
            lines[r] = buf.getvalue()
            self.records.append(Malformed(name, r + 2, kind, column))


def _quoting(layout: Layout) -> Literal[0, 1, 2, 3]:
    return csv.QUOTE_ALL if layout.quote_all else csv.QUOTE_MINIMAL


def _luhn_ok(digits: str) -> bool:
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if k % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _bad_id(value: str, rng: np.random.Generator) -> str:
    choice = int(rng.integers(0, 3))
    if choice == 0 or len(value) < 9:
        return value[:-1] if len(value) > 1 else "X"
    if choice == 1:
        return value[:3] + "O" + value[4:]
    # A wrong check digit, with a NIC that cannot pass for an URSSAF pseudo-SIRET.
    v = value
    if len(v) == 14 and v[9] in "5679":
        v = v[:9] + "0" + v[10:]
    last = v.split(",")[-1].replace(" ", "")
    if last.isdigit() and not _luhn_ok(last):
        return v
    return v[:-1] + str((int(v[-1]) + 1) % 10)


def _bad_date(value: str) -> str:
    if "-" in value and len(value) >= 7:
        return value[:4] + "-13-32"[: len(value) - 4]
    if "/" in value:
        return "32/13/" + value[-4:]
    if any(ch.isalpha() for ch in value):
        return "31XYZ" + value[-4:]
    if value.isdigit() and len(value) >= 6:
        return value[:-4] + "1399"
    return "N/A"


def _strings(values: pd.Series, sep: str, quote_all: bool) -> list[str]:
    arr = values.to_numpy()
    if arr.dtype.kind == "f":
        text = arr.astype(str)
        text[np.isnan(arr)] = ""
        out: list[str] = text.tolist()
    elif arr.dtype.kind in "iubU":
        out = arr.astype(str).tolist()
    else:
        raw: list[Any] = arr.tolist()
        try:
            # Already strings (the common case): joining succeeds only then, at C speed.
            "".join(raw)
            out = raw
        except TypeError:
            out = ["" if v is None or v is pd.NA or v != v else str(v) for v in raw]
    if quote_all:
        return ['"' + v.replace('"', '""') + '"' for v in out]
    # One C-level scan decides whether the column needs any quoting at all.
    blob = "\x00".join(out)
    if sep not in blob and '"' not in blob and "\n" not in blob:
        return out
    return ['"' + v.replace('"', '""') + '"' if (sep in v or '"' in v or "\n" in v) else v for v in out]


def render(frame: pd.DataFrame, layout: Layout) -> list[str]:
    """The data lines of a frame (no header), quoted as the layout says.

    pandas' own writer is several times slower on string columns, and the
    generation budget is tight.
    """
    if frame.empty:
        return []
    cols = [_strings(frame[c], layout.sep, layout.quote_all) for c in frame.columns]
    return [layout.sep.join(row) for row in zip(*cols, strict=True)]


def write_table(
    path: Path, frame: pd.DataFrame, layout: Layout, mess: MessInjector | None, gzipped: bool = False
) -> int:
    """Writes a frame as one delimited file with a header row; returns the data rows written.

    Args:
        path: target file (``.gz`` is appended when ``gzipped``).
        frame: the rows; values are written as they are (format them before).
        layout: delimiter, quoting and the columns that may be corrupted.
        mess: defect injector, or None for a clean file.
        gzipped: write a gzip-compressed file.
    """
    quoting = _quoting(layout)
    lines = render(frame, layout)
    header = [str(c) for c in frame.columns]
    if mess is not None:
        mess.corrupt(path.name + (".gz" if gzipped else ""), lines, header, layout)
    buf = io.StringIO()
    csv.writer(buf, delimiter=layout.sep, quoting=quoting, lineterminator="\n").writerow(header)
    body = buf.getvalue() + "".join(line + "\n" for line in lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gzipped:
        # mtime=0 keeps the bytes a function of the seed only.
        with gzip.GzipFile(path.with_name(path.name + ".gz"), "wb", compresslevel=1, mtime=0) as fh:
            fh.write(body.encode("utf-8"))
    else:
        path.write_text(body, encoding="utf-8")
    return len(lines)
