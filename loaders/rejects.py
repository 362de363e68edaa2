"""The reject file: every row that could not be read, written as it comes.

One CSV per run, next to the run's report (:func:`rejects_path_for`), with the
columns ``file, line, column, value, reason``: enough to find the row in the
delivered file and to see what was wrong with it. Rows are written as they are
read (no buffering of the run's rejects in memory).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from loaders.records import Record, Reject

REJECT_COLUMNS = ("file", "line", "column", "value", "reason")


def rejects_path_for(report_path: Path) -> Path:
    """Where the rejects of a run go: beside its report, ``<report stem>.rejects.csv``.

    Args:
        report_path: the run's report file, e.g. ``reports/2025-03.json``.
    """
    return report_path.with_name(f"{report_path.stem}.rejects.csv")


class RejectWriter:
    """Streams rejects to a CSV file; use as a context manager.

    The file is created with its header on entry (appended to, header kept,
    when ``append`` is true and the file exists, e.g. for a resumed run).

    Args:
        path: the reject file; its folder is created when missing.
        append: add to an existing file instead of replacing it.
    """

    def __init__(self, path: Path, *, append: bool = False) -> None:
        self.path = path
        self.count = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        keep = append and path.exists() and path.stat().st_size > 0
        self._file = path.open("a" if keep else "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        if not keep:
            self._writer.writerow(REJECT_COLUMNS)

    def write(self, reject: Reject) -> None:
        """Writes one reject."""
        self._writer.writerow(
            (reject.file, reject.line, reject.column or "", "" if reject.value is None else reject.value, reject.reason)
        )
        self.count += 1

    def write_all(self, rejects: Iterable[Reject]) -> int:
        """Writes rejects; returns how many."""
        before = self.count
        for reject in rejects:
            self.write(reject)
        return self.count - before

    def keep_records(self, items: Iterable[Record | Reject]) -> Iterator[Record]:
        """Passes records through and writes rejects on the way (lazily).

        Args:
            items: what a reader yields.
        """
        for item in items:
            if isinstance(item, Reject):
                self.write(item)
            else:
                yield item

    def flush(self) -> None:
        """Pushes what was written to the file (e.g. before a checkpoint)."""
        self._file.flush()

    def close(self) -> None:
        """Closes the file."""
        self._file.close()

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_rejects(path: Path) -> Iterator[Reject]:
    """Reads a reject file back (empty ``column``/``value`` become None).

    Args:
        path: a file written by :class:`RejectWriter`.
    """
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield Reject(
                file=row["file"],
                line=int(row["line"]),
                column=row["column"] or None,
                value=row["value"] or None,
                reason=row["reason"],
            )
