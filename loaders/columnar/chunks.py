"""A table's data lines gathered in bounded chunks of columns.

The csv module still splits the lines (it is C code, and it is what gives the
row readers their exact line numbers and their line-level rejects); only the
per-cell work moves to whole columns. A chunk holds at most ``size`` lines, so
memory does not grow with the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from loaders.columnar.checks import strings
from loaders.parsing.table import Row, Table
from loaders.records import Reject

# Cells per chunk: a chunk holds its cells as Python strings (about 60 bytes each).
CHUNK_CELLS = 200_000
MAX_CHUNK_LINES = 20_000


@dataclass
class Chunk:
    """Consecutive well-formed data lines of a table, and the line-level rejects among them.

    Attributes:
        table: the table they come from.
        lines: the physical line number of each row.
        cells: each row's cells, one per header column.
        rejects: lines that could not be split into the header's columns.
    """

    table: Table
    lines: list[int] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)

    def column(self, name: str) -> pa.StringArray:
        """The raw cells of a column (lower-case name); empty strings when the file lacks it."""
        pos = self.table.index.get(name)
        if pos is None:
            return strings([""] * len(self.lines))
        return strings([c[pos] for c in self.cells])

    def at(self, position: int) -> pa.StringArray:
        """The raw cells at a header position."""
        return strings([c[position] for c in self.cells])

    def row(self, i: int) -> Row:
        """The i-th row as the row readers see it."""
        return Row(self.table, self.lines[i], self.cells[i])

    def line_array(self) -> npt.NDArray[np.int64]:
        """The line numbers as an array."""
        return np.asarray(self.lines, np.int64)


def chunks(table: Table, size: int | None = None) -> Iterator[Chunk]:
    """The table's data lines, ``size`` lines (good or rejected) at a time, in file order.

    Args:
        table: the opened file.
        size: lines per chunk; by default as many as make ``CHUNK_CELLS`` cells.
    """
    size = size or max(1, min(MAX_CHUNK_LINES, CHUNK_CELLS // max(1, len(table.header))))
    chunk = Chunk(table)
    n = 0
    for item in table.cells():
        if isinstance(item, Reject):
            chunk.rejects.append(item)
        else:
            chunk.lines.append(item[0])
            chunk.cells.append(item[1])
        n += 1
        if n == size:
            yield chunk
            chunk, n = Chunk(table), 0
    if n:
        yield chunk
