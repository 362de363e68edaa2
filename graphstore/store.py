"""Parameterised Cypher over managed transactions: the only way code talks to Neo4j.

Every query takes its values as parameters; no caller builds Cypher from data.
Managed transactions (``execute_read``/``execute_write``) retry transient errors and
route reads to readers in a cluster.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver, AsyncManagedTransaction, Driver, ManagedTransaction
from neo4j.exceptions import ConstraintError, ServiceUnavailable, SessionExpired

from graphstore.driver import get_async_driver, get_driver
from graphstore.errors import ConstraintViolation, StoreUnavailable

T = TypeVar("T")
Row = dict[str, Any]
Params = Mapping[str, Any]


def _records(result: Any) -> list[Row]:
    return [dict(r) for r in result]


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, ConstraintError):
        return ConstraintViolation(f"constraint violated: {exc.message}")
    if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
        return StoreUnavailable(f"Neo4j is unavailable: {exc}")
    return exc


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """Splits an iterable into lists of at most ``size`` items, lazily."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


class GraphStore:
    """Synchronous access for loaders, scoring and the CLI.

    Args:
        driver: a driver; the process-wide one when omitted.
        database: the database name; the configured one when omitted.
    """

    def __init__(self, driver: Driver | None = None, database: str | None = None) -> None:
        if driver is None:
            driver, default_db = get_driver()
            database = database or default_db
        self._driver = driver
        self._database = database or "neo4j"

    @property
    def database(self) -> str:
        """The database this store writes to."""
        return self._database

    def read(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Runs a read query in a managed read transaction and returns its rows."""
        return self.read_tx(lambda tx: _records(tx.run(query, dict(params or {}))))

    def write(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Runs a write query in a managed write transaction and returns its rows."""
        return self.write_tx(lambda tx: _records(tx.run(query, dict(params or {}))))

    def read_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Runs ``work`` in one managed read transaction (retried on transient errors)."""
        try:
            with self._driver.session(database=self._database, default_access_mode="READ") as s:
                return s.execute_read(work)
        except Exception as exc:
            raise _translate(exc) from exc

    def write_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Runs ``work`` in one managed write transaction (retried on transient errors).

        Everything ``work`` does commits together or not at all, which is how a
        mutation and its timeline event stay consistent.
        """
        try:
            with self._driver.session(database=self._database) as s:
                return s.execute_write(work)
        except Exception as exc:
            raise _translate(exc) from exc

    def write_batches(
        self,
        query: LiteralString,
        rows: Iterable[Mapping[str, Any]],
        batch_size: int = 5000,
        extra: Params | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Writes rows with ``UNWIND $rows AS row`` in batches, one transaction each.

        Args:
            query: Cypher that starts with ``UNWIND $rows AS row``.
            rows: the rows, consumed lazily so memory stays flat.
            batch_size: rows per transaction.
            extra: more parameters passed to every batch.
            on_batch: called with the number of rows of each committed batch.

        Returns:
            The number of rows written.
        """
        total = 0
        for chunk in batched(rows, batch_size):
            params = {**(extra or {}), "rows": chunk}
            self.write_tx(lambda tx, p=params: tx.run(query, p).consume())  # type: ignore[misc]
            total += len(chunk)
            if on_batch is not None:
                on_batch(len(chunk))
        return total

    def ping(self) -> bool:
        """True when the server answers a trivial query."""
        try:
            return bool(self.read("RETURN 1 AS ok")[0]["ok"] == 1)
        except Exception:
            return False


class AsyncGraphStore:
    """Asynchronous access for the API.

    Args:
        driver: a driver; the process-wide async one when omitted.
        database: the database name; the configured one when omitted.
    """

    def __init__(self, driver: AsyncDriver | None = None, database: str | None = None) -> None:
        if driver is None:
            driver, default_db = get_async_driver()
            database = database or default_db
        self._driver = driver
        self._database = database or "neo4j"

    async def read(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Runs a read query in a managed read transaction and returns its rows."""

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            result = await tx.run(query, dict(params or {}))
            return [dict(r) async for r in result]

        return await self.read_tx(work)

    async def write(self, query: LiteralString, params: Params | None = None) -> list[Row]:
        """Runs a write query in a managed write transaction and returns its rows."""

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            result = await tx.run(query, dict(params or {}))
            return [dict(r) async for r in result]

        return await self.write_tx(work)

    async def read_tx(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs ``work`` in one managed read transaction."""
        try:
            async with self._driver.session(database=self._database, default_access_mode="READ") as s:
                return await s.execute_read(work)
        except Exception as exc:
            raise _translate(exc) from exc

    async def write_tx(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs ``work`` in one managed write transaction (all or nothing)."""
        try:
            async with self._driver.session(database=self._database) as s:
                return await s.execute_write(work)
        except Exception as exc:
            raise _translate(exc) from exc
