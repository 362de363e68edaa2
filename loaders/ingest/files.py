"""Loading one source file: read, split records from rejects, ingest, report.

``load_file`` runs in the refresh's process; ``load_measure_file`` is the same for
a measure-only file in a worker process (it touches the measure store and the
reject file, and hands its few graph writes back instead of sending them).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from tqdm import tqdm

from graphstore.errors import StoreError
from graphstore.measures import MeasureStore
from graphstore.store import GraphStore
from loaders.ingest.columnar import ColumnarCounts, columnar_reader, load_columnar
from loaders.ingest.context import LoadContext
from loaders.ingest.dispatch import handler_for
from loaders.ingest.reject_sink import RejectSink
from loaders.records import FileRejected, Record, Reject
from loaders.report import FileReport, FileStatus
from loaders.sources import SourceSpec, read_file, recognise


class _Counter:
    """Splits a reader's output into records (passed on) and rejects (written), counting both."""

    def __init__(self) -> None:
        self.lines = 0
        self.rejected = 0
        self.skipped = 0

    def records(self, items: Iterator[Record | Reject], sink: RejectSink, bar: tqdm[Any]) -> Iterator[Record]:
        """The records of ``items``; rejects go to ``sink``."""
        pending = 0
        for item in items:
            if isinstance(item, Reject):
                self.rejected += 1
                sink.write(item)
            else:
                yield item
            # Wide files give several records per line: lines are counted by number.
            self.lines = max(self.lines, item.line - 1)
            pending += 1
            if pending == 2000:
                bar.update(pending)
                pending = 0
        bar.update(pending)


def load_file(
    ctx: LoadContext, path: Path, spec: SourceSpec, sha: str, rejects_dir: Path, progress: bool
) -> FileReport:
    """Reads one file and ingests its records; a file-level problem becomes its report's status.

    Args:
        ctx: the delivery and file being loaded.
        path: the file.
        spec: its source.
        sha: its checksum (for the report).
        rejects_dir: the folder of reject files (``<delivery>/<file>.rejects.csv`` under it).
        progress: show a progress bar.

    Raises:
        StoreError: Neo4j failed; the refresh stops (the next one resumes).
    """
    fr = FileReport(path.name, spec.name, sha)
    t0 = time.monotonic()
    sink = RejectSink(rejects_dir / ctx.delivery, path.name)
    counter = _Counter()
    bar = tqdm(desc=f"{ctx.delivery} {path.name}"[:60], unit=" rec", disable=not progress, leave=False, mininterval=0.5)
    columnar = columnar_reader(spec.name)
    fast = ColumnarCounts()
    try:
        if columnar is not None:
            load_columnar(ctx, path, columnar, sink, bar, fast)
            fr.loaded = fast.loaded
        else:
            records = counter.records(read_file(path), sink, bar)
            counts = handler_for(spec.record_type)(ctx, records)
            # A handler may stop early; what it did not consume is still counted.
            for _ in records:
                counter.skipped += 1
            fr.loaded, fr.skipped = counts.loaded, counts.skipped + counter.skipped
    except FileRejected as exc:
        fr.status, fr.error = FileStatus.REJECTED, exc.reason
    except StoreError:
        raise
    except Exception as exc:  # a bug or a surprise in one file must not stop the others
        fr.status, fr.error = FileStatus.FAILED, f"{type(exc).__name__}: {exc}"
    finally:
        bar.close()
        sink.close()
    fr.lines_read, fr.rejected = counter.lines + fast.lines, counter.rejected + fast.rejected
    fr.reject_file = str(sink.path) if sink.count else None
    fr.seconds = time.monotonic() - t0
    return fr


@dataclass(frozen=True)
class MeasureJob:
    """A measure file to load in a worker process (everything picklable).

    Attributes:
        path: the file.
        sha: its checksum.
        delivery: the delivery id.
        known_on: the delivery's date.
        measures_root: the measure store folder.
        rejects_dir: the reject folder.
    """

    path: Path
    sha: str
    delivery: str
    known_on: date
    measures_root: Path
    rejects_dir: Path


def load_measure_file(job: MeasureJob) -> tuple[FileReport, list[tuple[str, list[dict[str, Any]]]]]:
    """Worker entry: loads a measure file; returns its report and the graph writes it deferred."""
    spec = recognise(job.path.name)
    assert spec is not None  # the refresh only sends recognised files
    deferred: list[tuple[str, list[dict[str, Any]]]] = []
    # No graph here: every graph write of a measure file is deferred to the caller.
    ctx = LoadContext(cast(GraphStore, None), MeasureStore(job.measures_root), job.delivery, job.known_on,
                      job.path.name, deferred=deferred)  # fmt: skip
    return load_file(ctx, job.path, spec, job.sha, job.rejects_dir, progress=False), deferred


def exit_with_parent(parent_pid: int, every: float = 1.0) -> None:
    """Worker initializer: the worker exits when the refresh process that started it is gone.

    A killed refresh must not leave workers behind writing partitions while the
    next run starts (their writes would be identical, but nobody is waiting for them).
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
