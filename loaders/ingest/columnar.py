"""Loading a measure file through its columnar reader (``loaders.columnar``).

Same outcome as reading it row by row and handing the records to
``load_measures``: the same partition rows, the same rejects in the same
order, the same counts and the same pseudo-SIRET establishments in the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from loaders.columnar.sources import COLUMNAR, ColumnarFile
from loaders.ingest.context import LoadContext
from loaders.ingest.reject_sink import RejectSink
from loaders.ingest.to_measures import PSEUDO_SIRETS


def columnar_reader(source: str) -> Callable[[Path], ColumnarFile] | None:
    """The columnar reader of a source (``SourceSpec.name``), or None when it has none."""
    return COLUMNAR.get(source)


class ColumnarCounts:
    """What loading one file through a columnar reader did.

    Attributes:
        lines: data lines read (the last line that gave a record or a reject, minus the header).
        loaded: rows written to the measure store.
        rejected: rejects written.
    """

    def __init__(self) -> None:
        self.lines = 0
        self.loaded = 0
        self.rejected = 0


def load_columnar(
    ctx: LoadContext, path: Path, reader: Callable[[Path], ColumnarFile], sink: RejectSink, bar: tqdm[Any],
    counts: ColumnarCounts,
) -> None:  # fmt: skip
    """Reads a measure file column-wise and writes its partition; ``counts`` is filled as it goes.

    Raises:
        FileRejected: the file cannot be read at all (nothing written).
    """
    opened = reader(path)
    pseudo: dict[str, dict[str, Any]] = {}

    def tables() -> Iterator[pa.Table]:
        for piece in opened.pieces:
            for reject in piece.rejects:
                sink.write(reject)
            counts.rejected += len(piece.rejects)
            counts.lines = max(counts.lines, piece.last_line - 1)
            for _, est in piece.pseudo:
                pseudo.setdefault(est["siret"], est)
            bar.update(piece.data.num_rows + len(piece.rejects))
            yield piece.data

    counts.loaded = ctx.measures.write_arrow(opened.table, tables(), ctx.provenance)
    if pseudo:
        ctx.write(PSEUDO_SIRETS, pseudo.values())
    if ctx.on_batch is not None and counts.loaded:
        ctx.on_batch(counts.loaded)
