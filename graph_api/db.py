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
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired, TransientError

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
        retry_time: float = 3.0,
    ) -> None:
        super().__init__(driver=driver, database=database)
        self.retry_time = retry_time
        self.availability = availability
        self.metrics = metrics
        self.call_timeout = call_timeout
        self._appends: dict[str, Coalescer[list[dict[str, Any]], None]] = {}
        self._keyed: dict[str, Coalescer[list[str], list[dict[str, Any]]]] = {}

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

    async def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Runs one read statement and returns its rows (``run_read``)."""
        return await self.run_read(query, params)

    async def run_read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Runs one read statement as an auto-commit transaction (fails fast during outages).

        One round trip (RUN and PULL together) where a managed transaction costs
        three (BEGIN, RUN and PULL, COMMIT); fine for a single read statement,
        which has nothing to retry that the fail-fast gate would not answer
        anyway. Several statements that must see the same state still go
        through ``read_tx``.
        """

        async def call() -> list[dict[str, Any]]:
            async with self._driver.session(database=self._database, default_access_mode="READ") as session:
                result = await session.run(query, dict(params or {}))
                return [dict(r) async for r in result]

        return await self._guarded(call)

    async def read_keyed(
        self, query: LiteralString, keys_param: str, keys: Sequence[str], params: Mapping[str, Any], key_column: str
    ) -> list[dict[str, Any]]:
        """Runs a statement keyed by a list parameter, in one read shared with the concurrent
        requests running the same statement with the same other parameters.

        The statement takes ``$<keys_param>`` (a list of keys, e.g. SIRENs) and
        returns rows that each carry their key in ``key_column``; the keys of the
        requests that asked at about the same time are read together (one
        auto-commit read for all of them, ``graph_api.batching``), and each gets
        the rows of its own keys, in the statement's order. A read starts only after
        the keys were submitted, so nothing is served from a cache.
        """
        signature = json.dumps([query, keys_param, key_column, dict(params)], sort_keys=True, default=str)
        coalescer = self._keyed.get(signature)
        if coalescer is None:
            fixed = dict(params)

            async def run(batches: list[list[str]]) -> list[list[dict[str, Any]]]:
                union = list(dict.fromkeys(k for keys in batches for k in keys))
                rows = await self.read(query, {**fixed, keys_param: union})
                return [[r for r in rows if r[key_column] in wanted] for wanted in map(set, batches)]

            coalescer = self._keyed[signature] = Coalescer(run)
        return await coalescer.submit(list(keys))

    async def run_write(self, query: LiteralString, params: Mapping[str, Any]) -> None:
        """Runs one write statement as an auto-commit transaction; returns once it has committed.

        One round trip instead of three (BEGIN, RUN and PULL, COMMIT): the server
        answers the final PULL only after the implicit transaction committed. For
        single-statement appends (audit entries) that create new nodes only; a
        transient error (the only kind worth retrying) is retried within
        ``neo4j_retry_time``, any other error propagates.
        """

        async def call() -> None:
            deadline = time.monotonic() + self.retry_time
            while True:
                try:
                    async with self._driver.session(database=self._database) as session:
                        await (await session.run(query, dict(params))).consume()
                    return
                except TransientError:
                    if time.monotonic() >= deadline:
                        raise
                    await asyncio.sleep(0.05)

        await self._guarded(call)

    async def append(self, query: LiteralString, rows: list[dict[str, Any]]) -> None:
        """Runs ``query`` (an append, ``UNWIND $rows AS …``) on ``rows``, in a write
        transaction shared with the concurrent requests appending with the same query.

        Returns once that transaction has committed (group commit,
        ``graph_api.batching``, through ``run_write``); raises its error when it failed.
        """
        coalescer = self._appends.get(query)
        if coalescer is None:

            async def run(batches: list[list[dict[str, Any]]]) -> list[None]:
                await self.run_write(query, {"rows": [row for rows in batches for row in rows]})
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
            self._driver,
            info.database,
            self.availability,
            self.metrics,
            self.settings.neo4j_call_timeout,
            self.settings.neo4j_retry_time,
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


async def read_keyed(
    store: AsyncGraphStore,
    query: LiteralString,
    keys: Sequence[str],
    params: Mapping[str, Any] | None = None,
    *,
    keys_param: str = "sirens",
    key_column: str = "siren",
) -> list[dict[str, Any]]:
    """The rows of a statement keyed by ``$<keys_param>``, for ``keys``.

    On the API's store, concurrent requests share the read
    (``GuardedStore.read_keyed``); on any other store it is a plain read.

    Args:
        store: the graph store.
        query: the statement; it takes the list ``$<keys_param>`` and returns each
            row's key in ``key_column``.
        keys: the keys.
        params: the other parameters.
        keys_param: the name of the keys parameter.
        key_column: the name of the key column in the rows.
    """
    params = dict(params or {})
    if isinstance(store, GuardedStore):
        return await store.read_keyed(query, keys_param, keys, params, key_column)
    return await store.read(query, {**params, keys_param: list(keys)})
