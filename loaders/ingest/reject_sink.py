"""Where a file's rejected rows go: ``<rejects>/<delivery>/<file>.rejects.csv``.

Written with the readers' ``loaders.rejects.RejectWriter`` (same columns, readable
back with ``read_rejects``), opened at the first reject only so that a clean file
leaves no reject file, and rewritten from scratch when the file is loaded again.
"""

from __future__ import annotations

from pathlib import Path

from loaders.records import Reject
from loaders.rejects import RejectWriter


class RejectSink:
    """Writes the rejects of one source file.

    Args:
        folder: the delivery's reject folder.
        source_file: the source file's name.
    """

    def __init__(self, folder: Path, source_file: str) -> None:
        self.path = folder / f"{source_file}.rejects.csv"
        self._writer: RejectWriter | None = None
        # A previous load's rejects would be stale once this load starts.
        self.path.unlink(missing_ok=True)

    @property
    def count(self) -> int:
        """Rejects written so far."""
        return self._writer.count if self._writer else 0

    def write(self, reject: Reject) -> None:
        """Appends one reject."""
        if self._writer is None:
            self._writer = RejectWriter(self.path)
        self._writer.write(reject)

    def close(self) -> None:
        """Flushes and closes the file (if one was opened)."""
        if self._writer is not None:
            self._writer.close()
