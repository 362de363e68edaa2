"""The API's connection to Neo4j: its own async driver, failing fast while Neo4j is down.

The API opens its own driver (short timeouts, bounded retries) on the event loop
that serves requests, and wraps ``AsyncGraphStore`` so that, once a call found
Neo4j unreachable, the following calls fail at once with ``StoreUnavailable``
(answered as ``SERVICE_UNAVAILABLE``) instead of each waiting for timeouts. A
background probe pings Neo4j while it is down and reopens the gate as soon as it
answers, so the service recovers by itself without traffic or restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired

from graph_api.batching import Coalescer
from graph_api.ops.metrics import Metrics
from graph_api.settings import ApiSettings
from graphstore.connection import resolve_connection
from graphstore.errors import LocalNeo4jError, StoreUnavailable
from graphstore.store import AsyncGraphStore

T = TypeVar("T")
log = logging.getLogger("signaux.api.db")

_OUTAGE = (StoreUnavailable, ServiceUnavailable, SessionExpired, DatabaseUnavailable, ConnectionError, OSError)


class Availability:
    """Whether Neo4j was reachable at the last call, and when to try again.

    Args:
        retry_after: seconds during which calls fail fast after an outage is
            seen, before one call is let through to test the water.
        metrics: the app's metrics (``signaux_neo4j_up``).
    """

    def __init__(self, retry_after: float, metrics: Metrics) -> None:
        self.retry_after = retry_after
        self.metrics = metrics
        self.up = True
        self._next_try = 0.0
        metrics.neo4j_up.set(1)

    def check(self) -> None:
        """Raises ``StoreUnavailable`` at once while Neo4j is known down (and not yet due a retry)."""
        if not self.up and time.monotonic() < self._next_try:
            raise StoreUnavailable("Neo4j is unavailable (failing fast until it answers again)")

    def failed(self) -> None:
        """Records an outage."""
        if self.up:
            log.warning("Neo4j became unreachable; failing fast until it answers again")
        self.up = False
        self._next_try = time.monotonic() + self.retry_after
        self.metrics.neo4j_up.set(0)
        self.metrics.neo4j_failures.inc()

    def succeeded(self) -> None:
        """Records a successful call."""
        if not self.up:
            log.info("Neo4j answers again")
        self.up = True
        self.metrics.neo4j_up.set(1)


class GuardedStore(AsyncGraphStore):
    """``AsyncGraphStore`` that fails fast during outages and reports pool occupancy.

    Args:
        driver: the API's async driver.
        database: the database name.
        availability: the shared availability state.
        metrics: the app's metrics.
    """

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        availability: Availability,
        metrics: Metrics,
        call_timeout: float,
    ) -> None:
        super().__init__(driver=driver, database=database)
        self.availability = availability
        self.metrics = metrics
        self.call_timeout = call_timeout
        self._appends: dict[str, Coalescer[list[dict[str, Any]], None]] = {}

    async def _guarded(self, call: Callable[[], Awaitable[T]]) -> T:
        self.availability.check()
        self.metrics.neo4j_in_use.inc()
        try:
            # A server shutting down can leave a socket read hanging without any
            # error: the budget bounds every call, and the driver drops the
            # connection of a cancelled call.
            result = await asyncio.wait_for(call(), self.call_timeout)
        except TimeoutError as exc:
            self.availability.failed()
            raise StoreUnavailable(f"Neo4j did not answer within {self.call_timeout:.0f} s") from exc
        except _OUTAGE as exc:
            self.availability.failed()
            if isinstance(exc, StoreUnavailable):
                raise
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc
        finally:
            self.metrics.neo4j_in_use.dec()
        self.availability.succeeded()
        return result

    async def append(self, query: LiteralString, rows: list[dict[str, Any]]) -> None:
        """Runs ``query`` (an append, ``UNWIND $rows AS …``) on ``rows``, in a write
        transaction shared with the concurrent requests appending with the same query.

        Returns once that transaction has committed (group commit,
        ``graph_api.batching``); raises its error when it failed.
        """
        coalescer = self._appends.get(query)
        if coalescer is None:

            async def run(batches: list[list[dict[str, Any]]]) -> list[None]:
                await self.write(query, {"rows": [row for rows in batches for row in rows]})
                return [None] * len(batches)

            coalescer = self._appends[query] = Coalescer(run)
        await coalescer.submit(rows)

    async def read_tx(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs ``work`` in one managed read transaction (fails fast during outages)."""
        return await self._guarded(lambda: super(GuardedStore, self).read_tx(work))

    async def write_tx(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs ``work`` in one managed write transaction (fails fast during outages)."""
        return await self._guarded(lambda: super(GuardedStore, self).write_tx(work))


class Database:
    """Owns the driver, the guarded store and the recovery probe for one app.

    Args:
        settings: the API settings (store location, timeouts, pool size).
        metrics: the app's metrics.
    """

    def __init__(self, settings: ApiSettings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.availability = Availability(settings.neo4j_probe_interval, metrics)
        self._driver: AsyncDriver | None = None
        self._store: GuardedStore | None = None
        self._probe: asyncio.Task[None] | None = None

    def _connect(self) -> GuardedStore:
        info = resolve_connection(self.settings.store)
        self._driver = AsyncGraphDatabase.driver(
            info.uri,
            auth=(info.user, info.password),
            connection_timeout=self.settings.neo4j_connection_timeout,
            connection_acquisition_timeout=self.settings.neo4j_connection_timeout * 2,
            max_transaction_retry_time=self.settings.neo4j_retry_time,
            max_connection_pool_size=self.settings.neo4j_pool_size,
            liveness_check_timeout=self.settings.neo4j_liveness_check,
            # "Property key does not exist" and the like are noise for a read API.
            notifications_min_severity="OFF",
        )
        self.metrics.neo4j_pool_size.set(self.settings.neo4j_pool_size)
        return GuardedStore(
            self._driver, info.database, self.availability, self.metrics, self.settings.neo4j_call_timeout
        )

    @property
    def store(self) -> GuardedStore:
        """The guarded store.

        Raises:
            StoreUnavailable: the connection could not even be configured (the local
                Neo4j was never started); retried on every access.
        """
        if self._store is None:
            try:
                self._store = self._connect()
            except LocalNeo4jError as exc:
                self.availability.failed()
                raise StoreUnavailable(str(exc)) from exc
        return self._store

    async def ping(self) -> bool:
        """True when Neo4j answers a trivial query now (bypasses the fail-fast gate)."""

        async def work(tx: AsyncManagedTransaction) -> object:
            record = await (await tx.run("RETURN 1 AS ok")).single(strict=True)
            return record["ok"]

        try:
            # The base class's read_tx: a probe must reach Neo4j even while the gate is closed.
            ok = await asyncio.wait_for(
                AsyncGraphStore.read_tx(self.store, work), self.settings.neo4j_connection_timeout * 2
            )
        except Exception:
            self.availability.failed()
            return False
        self.availability.succeeded()
        return ok == 1

    async def _probe_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.neo4j_probe_interval)
            if not self.availability.up:
                await self.ping()

    async def start(self) -> None:
        """Starts the recovery probe (called from the app's lifespan)."""
        self._probe = asyncio.create_task(self._probe_loop())

    async def close(self) -> None:
        """Stops the probe and closes the driver."""
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
        if self._driver is not None:
            await self._driver.close()
        self._driver = None
        self._store = None
