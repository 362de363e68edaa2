"""Group commit: concurrent requests share one Neo4j transaction instead of one each.

Every request checks its token's revocation and appends its audit entries; on
their own these cost a Neo4j round trip (a transaction) per request, which was
the floor of every request under load (docs/api-benchmark.md). A ``Coalescer``
takes the items many requests submit at about the same time and runs them as
one batch:

- a batch starts only after its items were submitted: an item submitted while a
  batch is in flight waits for the next one, so each request's answer comes from
  a transaction that **began after the request asked** (a revocation check sees
  every revocation committed before the request; nothing is cached);
- ``submit`` returns only once the batch's transaction has committed, and raises
  its error when it failed: a request never goes on as if its audit entries
  were written when they were not;
- at most ``IN_FLIGHT`` batches at a time per coalescer; with no concurrency a
  batch is a single item and runs at once (no waiting for company).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K")
R = TypeVar("R")

MAX_BATCH = 1000
"""Items per batch at most (the rest wait for the next batch)."""

IN_FLIGHT = 2
"""Batches of one coalescer running at the same time: one slow batch (a busy
machine) does not hold every request behind it, and batches still form under load."""


class Coalescer(Generic[K, R]):
    """Runs the items submitted concurrently as batches, a few batches at a time.

    Args:
        run: runs one batch; returns one result per item, in order.
        max_batch: items per batch at most.
        in_flight: batches running at the same time at most; an item submitted
            while fewer run starts a batch of its own at once.
    """

    def __init__(
        self, run: Callable[[list[K]], Awaitable[Sequence[R]]], max_batch: int = MAX_BATCH, in_flight: int = IN_FLIGHT
    ) -> None:
        self._run = run
        self._max = max_batch
        self._pending: list[tuple[K, asyncio.Future[R]]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight = in_flight
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, item: K) -> R:
        """Queues ``item`` and waits for the result of the batch that ran it.

        Raises:
            Exception: whatever the batch raised.
        """
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # A new event loop (a test's app restarted): nothing of the old one carries over.
            self._loop, self._pending, self._tasks = loop, [], set()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        self._tasks = {t for t in self._tasks if not t.done()}
        if len(self._tasks) < self._in_flight:
            self._tasks.add(loop.create_task(self._drain()))
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self._max], self._pending[self._max :]
            live = [(item, f) for item, f in batch if not f.done()]  # a cancelled request leaves its slot
            if not live:
                continue
            try:
                results = await self._run([item for item, _ in live])
            except asyncio.CancelledError:
                for _, f in live:
                    f.cancel()
                for _, f in self._pending:
                    f.cancel()
                self._pending = []
                raise
            except Exception as exc:  # every waiter gets the batch's error
                for _, f in live:
                    if not f.done():
                        f.set_exception(exc)
                continue
            for (_, f), result in zip(live, results, strict=True):
                if not f.done():
                    f.set_result(result)

    async def close(self) -> None:
        """Stops the batch in flight, if any (its waiters are cancelled)."""
        tasks, self._tasks = self._tasks, set()
        for task in tasks:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
