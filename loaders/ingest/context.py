"""What every ingest step needs: the stores, the delivery, the file, and counters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

from graphstore.measures import MeasureStore, Provenance
from graphstore.store import GraphStore, batched
from loaders.ingest.positional import as_lists

BATCH_ROWS = 5000


@dataclass
class LoadContext:
    """One file of one delivery being loaded.

    Attributes:
        graph: the graph store.
        measures: the measure store.
        delivery: the delivery id (folder name).
        known_on: the delivery's date.
        source_file: the file name.
        batch_rows: rows per Neo4j transaction.
        on_batch: called after each committed batch with its row count (progress bars,
            and the test hook that kills a load half-way).
        deferred: when set, graph writes are queued here instead of sent (a worker
            process loading a measure file hands them back to the main process).
        listed: keys listed by the delivery's stock files, by key name (``siren``,
            ``siret``); shared by the delivery's files.
    """

    graph: GraphStore
    measures: MeasureStore
    delivery: str
    known_on: date
    source_file: str
    batch_rows: int = BATCH_ROWS
    on_batch: Callable[[int], None] | None = None
    deferred: list[tuple[str, list[Any]]] | None = None
    listed: dict[str, set[str]] = field(default_factory=dict)

    @property
    def provenance(self) -> Provenance:
        """The measure store's provenance of this file."""
        return Provenance(self.delivery, self.known_on, self.source_file)

    def params(self) -> dict[str, Any]:
        """Parameters every write receives: ``$delivery``, ``$known_on``, ``$source_file``."""
        return {"delivery": self.delivery, "known_on": self.known_on, "source_file": self.source_file}

    def write(self, query: LiteralString, rows: Iterable[Mapping[str, Any]] | Iterable[list[Any]], **extra: Any) -> int:
        """Writes rows in batches with ``UNWIND $rows AS row`` plus the provenance parameters.

        Map rows are sent as lists (``loaders.ingest.positional``); list rows go as
        they are, for statements already reading ``row[i]``.
        """
        if self.deferred is not None:
            queued: list[Any] = [dict(r) if isinstance(r, Mapping) else r for r in rows]
            self.deferred.append((query, queued))
            return len(queued)
        query, values = as_lists(query, rows)
        return self.graph.write_batches(
            query, values, batch_size=self.batch_rows, extra={**self.params(), **extra}, on_batch=self.on_batch
        )

    def write_concurrently(
        self, query: LiteralString, rows: Iterable[Mapping[str, Any]], threads: int = 2, **extra: Any
    ) -> int:
        """Like ``write`` with up to ``threads`` batches in flight, for rows whose order does not matter.

        Only for rows with distinct keys (a stock, derived events): two batches
        touching the same node may deadlock, which Neo4j reports as transient and the
        managed transaction retries.
        """
        if self.deferred is not None or threads < 2:
            return self.write(query, rows, **extra)
        params = {**self.params(), **extra}
        query, values = as_lists(query, rows)

        def one(chunk: list[Any]) -> int:
            return self.graph.write_batches(query, chunk, batch_size=len(chunk), extra=params)

        total = 0
        with ThreadPoolExecutor(threads, thread_name_prefix="neo4j-batch") as pool:
            pending: set[Future[int]] = set()
            for chunk in batched(values, self.batch_rows):
                if len(pending) >= threads:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    total += self._collect(done)
                pending.add(pool.submit(one, chunk))
            total += self._collect(pending)
        return total

    def write_routed(
        self, queries: Sequence[LiteralString], rows: Iterable[tuple[int, Any]], threads: int = 2, **extra: Any
    ) -> int:
        """Writes rows tagged with the index of the statement that writes them.

        Each statement's rows are batched on their own (``batch_rows`` per
        transaction), with up to ``threads`` batches in flight; same caveat as
        ``write_concurrently``: only for rows with distinct keys.

        Args:
            queries: the statements (``UNWIND $rows AS row ...``).
            rows: (index into ``queries``, row) pairs.
            threads: batches in flight.
            extra: more parameters for every batch.

        Returns:
            The number of rows written.
        """
        if self.deferred is not None:
            split: list[list[Any]] = [[] for _ in queries]
            for i, row in rows:
                split[i].append(row)
            return sum(self.write(qy, part, **extra) for qy, part in zip(queries, split, strict=True) if part)
        params = {**self.params(), **extra}

        def one(query: LiteralString, chunk: list[Any]) -> int:
            return self.graph.write_batches(query, chunk, batch_size=len(chunk), extra=params)

        buffers: list[list[Any]] = [[] for _ in queries]
        total = 0
        with ThreadPoolExecutor(max(1, threads), thread_name_prefix="neo4j-batch") as pool:
            pending: set[Future[int]] = set()

            def submit(i: int) -> None:
                nonlocal pending, total
                if len(pending) >= max(1, threads):
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    total += self._collect(done)
                pending.add(pool.submit(one, queries[i], buffers[i]))
                buffers[i] = []

            for i, row in rows:
                buffers[i].append(row)
                if len(buffers[i]) >= self.batch_rows:
                    submit(i)
            for i, buffer in enumerate(buffers):
                if buffer:
                    submit(i)
            total += self._collect(pending)
        return total

    def _collect(self, futures: Iterable[Future[int]]) -> int:
        n = 0
        for fut in futures:
            written = fut.result()
            n += written
            if self.on_batch is not None:
                self.on_batch(written)
        return n


@dataclass
class IngestCounts:
    """What an ingest step did with the records it was given.

    Attributes:
        loaded: records written to the graph or the measure store.
        skipped: records read but deliberately not loaded (reason in the report).
    """

    loaded: int = 0
    skipped: int = 0
