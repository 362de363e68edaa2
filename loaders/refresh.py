"""``signaux refresh``: load delivery folders into the graph and the measure store.

A delivery is a folder named ``YYYY-MM`` (or ``YYYY-MM-DD``); a folder of such
folders is loaded oldest first. Within a delivery the recognised files load in
dependency order (``loaders.ingest.dispatch``), each recorded as a SourceFile
(checksum, counts, status) under its Delivery.

Idempotent and resumable: a file already loaded with the same checksum is not
read again, a delivery whose files all are is skipped whole, and every write is a
MERGE on a natural key (graph) or an atomic overwrite of a deterministic partition
(measures). A run killed anywhere and started again therefore finishes the
interrupted file from scratch, skips the ones done, and ends with the same graph
and measures as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from graphstore.measures import MeasureStore
from graphstore.settings import get_settings
from graphstore.store import GraphStore
from loaders.ingest.context import BATCH_ROWS, LoadContext
from loaders.ingest.dispatch import is_measure_type, load_rank
from loaders.ingest.files import MeasureJob, exit_with_parent, load_file, load_measure_file
from loaders.ingest.sirene import COMPANIES, ESTABLISHMENTS, mark_absent
from loaders.ingest.supplies import recompute_supplies
from loaders.records import Etablissement, FluxFacturation, UniteLegale
from loaders.report import DeliveryReport, DeliveryStatus, FileReport, FileStatus
from loaders.sources import SourceSpec, read_file, recognise
from loaders.timeline.derive import measure_events
from loaders.timeline.events import write_events

_DELIVERY_NAME = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

_STORED_FILES = """
MATCH (d:Delivery {id: $id})
OPTIONAL MATCH (d)-[:HAS_FILE]->(f:SourceFile)
RETURN d.status AS status, collect({name: f.name, sha256: f.sha256, status: f.status}) AS files
"""

_START_DELIVERY = """
MERGE (d:Delivery {id: $id})
SET d.folder = $folder, d.delivered_on = $known_on, d.status = $status
"""

_SAVE_FILE = """
MATCH (d:Delivery {id: $delivery})
MERGE (f:SourceFile {id: $id})
SET f.name = $name, f.family = $family, f.source = $source, f.sha256 = $sha256, f.lines_read = $lines_read,
    f.loaded = $loaded, f.rejected = $rejected, f.skipped = $skipped, f.status = $status, f.error = $error,
    f.reject_file = $reject_file,
    f.delivery = $delivery, f.known_on = $known_on, f.source_file = $name
MERGE (d)-[:HAS_FILE]->(f)
"""

_FINISH_DELIVERY = """
MATCH (d:Delivery {id: $id})
SET d.status = $status, d.report = $report, d.loaded_at = datetime()
"""


def delivery_date(name: str) -> date:
    """The date a delivery is known on: ``YYYY-MM`` -> last day of that month, ``YYYY-MM-DD`` -> that day.

    Raises:
        ValueError: the name is not a delivery folder name.
    """
    m = _DELIVERY_NAME.match(name)
    if not m:
        raise ValueError(f"{name!r} is not a delivery folder name (YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    if day is not None:
        return date(year, month, int(day))
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def is_delivery_folder(path: Path) -> bool:
    """True for a directory whose name is a delivery name."""
    return path.is_dir() and _DELIVERY_NAME.match(path.name) is not None


def discover(root: Path) -> list[Path]:
    """The delivery folders under ``root``, oldest first (``root`` itself when it is one).

    A folder holding recognised files directly is a delivery on its own; otherwise
    its sub-folders named ``YYYY-MM``/``YYYY-MM-DD`` are, sorted by name.

    Raises:
        FileNotFoundError: ``root`` is not a directory.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a directory")
    if any(f.is_file() and recognise(f.name) for f in root.iterdir()):
        return [root]
    return sorted((p for p in root.iterdir() if is_delivery_folder(p)), key=lambda p: p.name)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


MeasureResult = tuple[FileReport, list[tuple[str, list[dict[str, Any]]]]]


@dataclass
class _Prepared:
    """A delivery's plan (see ``Refresher._prepare``) and its measure files handed to the workers."""

    folder: Path
    plan: list[tuple[Path, SourceSpec | None]]
    sums: dict[str, str]
    done: dict[str, Any]
    skip: bool
    submitted: bool = False
    futures: dict[str, Future[MeasureResult]] = field(default_factory=dict)


@dataclass
class RefreshOptions:
    """How a refresh runs.

    Attributes:
        progress: show tqdm progress bars (stderr).
        batch_rows: rows per Neo4j transaction.
        on_batch: called after every committed batch (tests inject failures here).
        print_reports: print each delivery's report table.
        workers: processes loading the measure-only files of a delivery while the
            graph files load (0: everything in this process, in order).
    """

    progress: bool = True
    batch_rows: int = BATCH_ROWS
    on_batch: Callable[[int], None] | None = None
    print_reports: bool = True
    workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))


class Refresher:
    """Loads deliveries into a graph store and a measure store.

    Args:
        graph: the graph store; the default one when omitted.
        measures: the measure store; the default one when omitted.
        rejects_dir: where reject files go; ``<data_dir>/rejects`` when omitted.
        options: see ``RefreshOptions``.
    """

    def __init__(
        self,
        graph: GraphStore | None = None,
        measures: MeasureStore | None = None,
        rejects_dir: Path | None = None,
        options: RefreshOptions | None = None,
    ) -> None:
        self.graph = graph or GraphStore()
        self.measures = measures or MeasureStore()
        self.rejects_dir = rejects_dir or get_settings().data_dir / "rejects"
        self.options = options or RefreshOptions()
        self._executor: ProcessPoolExecutor | None = None
        self._listed: dict[str, set[str]] = {}  # keys the current delivery's stocks list
        self._prefetched: dict[Path, _Prepared] = {}  # the next delivery, its measure files started

    def refresh(self, root: Path) -> list[DeliveryReport]:
        """Loads every delivery under ``root`` not loaded yet, oldest first."""
        folders = discover(root)
        reports = []
        try:
            for i, folder in enumerate(folders):
                then = folders[i + 1] if i + 1 < len(folders) else None
                reports.append(self.load_delivery(folder, last=then is None, then=then))
        finally:
            self._prefetched.clear()
            self.close()
        return reports

    def close(self) -> None:
        """Stops the worker processes (started again when needed)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.options.workers < 1:
            return None
        if self._executor is None:
            # spawn: the children must not inherit this process's driver or DuckDB state.
            self._executor = ProcessPoolExecutor(
                self.options.workers, mp_context=get_context("spawn"), initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )  # fmt: skip
        return self._executor

    # -- one delivery -----------------------------------------------------------

    def load_delivery(self, folder: Path, last: bool = True, then: Path | None = None) -> DeliveryReport:
        """Loads one delivery folder (skipped when already loaded with the same files).

        Args:
            folder: the delivery folder.
            last: the last delivery of this run: SUPPLIES are recomputed after it
                (earlier deliveries' SUPPLIES would be overwritten straight away).
            then: the delivery loaded next, if any: its measure files are handed to
                the worker processes behind this delivery's, so that they load while
                this one's graph files and events run here (see ``_prefetch``).
        """
        started = time.monotonic()
        delivery = folder.name
        known_on = delivery_date(delivery)
        prep = self._prefetched.pop(folder, None) or self._prepare(folder)
        plan, sums, done = prep.plan, prep.sums, prep.done
        if prep.skip:
            return DeliveryReport(delivery, DeliveryStatus.SKIPPED, seconds=time.monotonic() - started)

        self.graph.write(
            _START_DELIVERY,
            {"id": delivery, "folder": str(folder), "known_on": known_on, "status": DeliveryStatus.LOADING.value},
        )
        report = DeliveryReport(delivery, DeliveryStatus.LOADING)
        self._listed = {}
        todo = [(p, s) for p, s in plan if s is not None and p.name not in done]
        # Measure-only files go to worker processes first, so that they load while
        # the graph files load here; their results are collected in plan order.
        futures = prep.futures if prep.submitted else self._submit(prep)
        tick = time.monotonic()
        if then is not None:
            # Queued behind this delivery's files: the workers take them up as soon as
            # they are done with those, while the graph files and the events run here.
            self._prefetch(then, known_on)
            tick = self._phase(report, "prefetch", tick)
        by_name: dict[str, FileReport] = {}
        for path, spec in todo:
            if path.name not in futures:
                by_name[path.name] = fr = self._load_file(path, spec, delivery, known_on, sums[path.name])
                self._save_file(delivery, known_on, spec, fr)
        tick = self._phase(report, "graph_files", tick)
        for path, spec in todo:
            if path.name in futures:
                fr, deferred = futures[path.name].result()
                ctx = self._context(delivery, known_on, path.name)
                for query, rows in deferred:
                    ctx.write(query, rows)  # type: ignore[arg-type]  # queries of our own modules
                if ctx.on_batch is not None and fr.loaded:
                    ctx.on_batch(fr.loaded)
                by_name[path.name] = fr
                self._save_file(delivery, known_on, spec, fr)
        for path, maybe in plan:
            if maybe is None:
                report.files.append(FileReport(path.name, None, sums[path.name], status=FileStatus.IGNORED))
            elif path.name in done:
                fr = FileReport(path.name, maybe.name, sums[path.name], status=FileStatus.UNCHANGED)
                fr.error = f"already loaded ({done[path.name]['status']})"
                report.files.append(fr)
            else:
                report.files.append(by_name[path.name])

        tick = self._phase(report, "wait_workers", tick)
        ctx = self._context(delivery, known_on, "")
        loaded_types = self._loaded_types(plan, report, done)
        self._relist_done_stocks(plan, done)
        report.absent = (
            mark_absent(ctx, COMPANIES, self._listed.get("siren", set())),
            mark_absent(ctx, ESTABLISHMENTS, self._listed.get("siret", set())),
        )
        tick = self._phase(report, "absent", tick)
        report.derived_events = write_events(ctx, _timed(measure_events(self.measures, delivery, known_on), report))
        tick = self._phase(report, "events", tick)
        if last and (FluxFacturation in loaded_types or self._has_flows()):
            report.supplies = recompute_supplies(ctx)
            tick = self._phase(report, "supplies", tick)
        failed = any(f.status == FileStatus.FAILED for f in report.files)
        report.status = DeliveryStatus.INCOMPLETE if failed else DeliveryStatus.LOADED
        report.seconds = time.monotonic() - started
        self.graph.write(_FINISH_DELIVERY, {"id": delivery, "status": report.status.value, "report": report.to_json()})
        if self.options.print_reports:
            print(report.table(), flush=True)
        return report

    def _prepare(self, folder: Path) -> _Prepared:
        """A delivery's plan: its files in load order, their checksums, those already loaded."""
        files = sorted((f for f in folder.iterdir() if f.is_file()), key=lambda f: f.name)
        plan = [(f, recognise(f.name)) for f in files]
        plan.sort(key=lambda fs: (load_rank(fs[1].record_type) if fs[1] else 10**6, fs[0].name))
        sums = {f.name: sha256_of(f) for f, _ in plan}
        stored = self._stored(folder.name)
        done = {
            f["name"]: f
            for f in stored["files"]
            if f["name"]
            and f["status"] in (FileStatus.LOADED, FileStatus.REJECTED)
            and f["sha256"] == sums.get(f["name"])
        }
        recognised = [f.name for f, spec in plan if spec]
        skip = stored["status"] == DeliveryStatus.LOADED and all(n in done for n in recognised)
        return _Prepared(folder, plan, sums, done, skip)

    def _submit(self, prep: _Prepared) -> dict[str, Future[MeasureResult]]:
        """Hands a delivery's measure files still to load to the worker processes (none without workers)."""
        prep.submitted = True
        todo = [(p, s) for p, s in prep.plan if s is not None and p.name not in prep.done]
        pool = self._pool() if any(is_measure_type(s.record_type) for _, s in todo) else None
        if pool is not None:
            delivery, known_on = prep.folder.name, delivery_date(prep.folder.name)
            for path, spec in todo:
                if is_measure_type(spec.record_type):
                    job = MeasureJob(
                        path, prep.sums[path.name], delivery, known_on, self.measures.root, self.rejects_dir
                    )
                    prep.futures[path.name] = pool.submit(load_measure_file, job)
        return prep.futures

    def _prefetch(self, folder: Path, after: date) -> None:
        """Queues the next delivery's measure files in the workers, behind this delivery's.

        Only when the next delivery is known strictly after this one: the events of
        this delivery read the measures "as known by" its date, which leaves out every
        partition of a later delivery, so they come out the same whether or not the
        next delivery's partitions are there yet. Nothing about the next delivery is
        recorded in the graph here (its SourceFiles are saved when it is loaded), so a
        run killed now loads those files again from scratch, overwriting the same
        deterministic partitions.
        """
        if self.options.workers < 1 or delivery_date(folder.name) <= after:
            return
        prep = self._prepare(folder)
        if not prep.skip:
            self._submit(prep)
        self._prefetched[folder] = prep

    @staticmethod
    def _phase(report: DeliveryReport, name: str, since: float) -> float:
        now = time.monotonic()
        report.phases[name] = report.phases.get(name, 0.0) + now - since
        return now

    # -- one file -----------------------------------------------------------------

    def _load_file(self, path: Path, spec: SourceSpec, delivery: str, known_on: date, sha: str) -> FileReport:
        ctx = self._context(delivery, known_on, path.name)
        return load_file(ctx, path, spec, sha, self.rejects_dir, self.options.progress)

    def _context(self, delivery: str, known_on: date, source_file: str) -> LoadContext:
        return LoadContext(
            self.graph, self.measures, delivery, known_on, source_file, self.options.batch_rows, self.options.on_batch,
            listed=self._listed,
        )  # fmt: skip

    def _relist_done_stocks(self, plan: Iterable[tuple[Path, SourceSpec | None]], done: dict[str, Any]) -> None:
        # A resumed run skips the stock files loaded before the interruption, but what
        # they list still decides what is no longer in stock: read their keys again.
        for path, spec in plan:
            if spec is None or path.name not in done or done[path.name]["status"] != FileStatus.LOADED:
                continue
            if spec.record_type is UniteLegale:
                keys = self._listed.setdefault("siren", set())
                keys.update(r.siren for r in read_file(path) if isinstance(r, UniteLegale))
            elif spec.record_type is Etablissement:
                keys = self._listed.setdefault("siret", set())
                keys.update(r.siret for r in read_file(path) if isinstance(r, Etablissement))

    def _stored(self, delivery: str) -> dict[str, Any]:
        rows = self.graph.read(_STORED_FILES, {"id": delivery})
        return rows[0] if rows else {"status": None, "files": []}

    def _save_file(self, delivery: str, known_on: date, spec: SourceSpec, fr: FileReport) -> None:
        params = {**fr.as_dict(), "id": f"{delivery}/{fr.name}", "delivery": delivery, "known_on": known_on}
        params["family"] = spec.family
        self.graph.write(_SAVE_FILE, params)

    def _loaded_types(
        self, plan: Iterable[tuple[Path, SourceSpec | None]], report: DeliveryReport, done: dict[str, Any]
    ) -> set[type]:
        ok = {f.name for f in report.files if f.status == FileStatus.LOADED} | {
            n for n, f in done.items() if f["status"] == FileStatus.LOADED
        }
        return {spec.record_type for path, spec in plan if spec and path.name in ok}

    def _has_flows(self) -> bool:
        return (self.measures.root / "flux_facturation").exists()


def _timed(items: Iterable[Any], report: DeliveryReport) -> Iterator[Any]:
    # The share of the events phase spent deriving (in DuckDB), the rest is writing.
    it = iter(items)
    while True:
        t0 = time.monotonic()
        try:
            item = next(it)
        except StopIteration:
            report.phases["events_derive"] = report.phases.get("events_derive", 0.0) + time.monotonic() - t0
            return
        report.phases["events_derive"] = report.phases.get("events_derive", 0.0) + time.monotonic() - t0
        yield item


def refresh(root: Path, options: RefreshOptions | None = None) -> list[DeliveryReport]:
    """Loads every delivery under ``root`` with the default stores."""
    return Refresher(options=options).refresh(root)
