"""Where a file's rejected rows go: ``<rejects>/<delivery>/<file>.rejects.csv``.

The file is opened at the first reject only (a clean file leaves none) and
rewritten from scratch when the file is loaded again.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO

from loaders.records import Reject

HEADER = ("file", "line", "column", "value", "reason")


class RejectSink:
    """Writes the rejects of one source file.

    Args:
        folder: the delivery's reject folder.
        source_file: the source file's name.
    """

    def __init__(self, folder: Path, source_file: str) -> None:
        self.path = folder / f"{source_file}.rejects.csv"
        self.count = 0
        self._fh: IO[str] | None = None
        self._writer: csv.DictWriter[str] | None = None
        # A previous load's rejects would be stale once this load starts.
        self.path.unlink(missing_ok=True)

    def write(self, reject: Reject) -> None:
        """Appends one reject."""
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._fh, fieldnames=HEADER)
            self._writer.writeheader()
        self._writer.writerow(
            {
                "file": reject.file,
                "line": reject.line,
                "column": reject.column,
                "value": reject.value,
                "reason": reject.reason,
            }
        )
        self.count += 1

    def close(self) -> None:
        """Flushes and closes the file (if one was opened)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None
