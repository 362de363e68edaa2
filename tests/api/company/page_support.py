"""Counting the Neo4j transactions and statements a live API sends (company-page tests).

The count wraps the app's own store (the one every request context gets): the
queries still reach the real Neo4j; only their number is recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api_support import LiveApi

from graphstore.store import GraphStore


class _CountingTx:
    """A managed transaction that counts the statements run through it."""

    def __init__(self, tx: Any, counter: QueryCounter) -> None:
        self._tx = tx
        self._counter = counter

    async def run(self, query: Any, parameters: Any = None, **kw: Any) -> Any:
        self._counter.statements += 1
        return await self._tx.run(query, parameters, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tx, name)


@dataclass
class QueryCounter:
    """Transactions and statements sent to Neo4j since the last ``reset``."""

    transactions: int = 0
    statements: int = 0

    def reset(self) -> None:
        """Starts counting from zero."""
        self.transactions = 0
        self.statements = 0

    def wrap(self, store: Any) -> None:
        """Counts every transaction ``store`` runs (its ``read_tx`` and ``write_tx``, and the
        auto-commit statements of ``run_read`` and ``run_write``: one transaction of one
        statement each)."""

        def counted(original: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
            async def tx(work: Callable[[Any], Awaitable[Any]]) -> Any:
                self.transactions += 1

                async def inner(t: Any) -> Any:
                    return await work(_CountingTx(t, self))

                return await original(inner)

            return tx

        def counted_one(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            async def run(query: Any, params: Any = None) -> Any:
                self.transactions += 1
                self.statements += 1
                return await original(query, params)

            return run

        store.read_tx = counted(store.read_tx)
        store.write_tx = counted(store.write_tx)
        if hasattr(store, "run_read"):
            store.run_read = counted_one(store.run_read)
        if hasattr(store, "run_write"):
            store.run_write = counted_one(store.run_write)


@dataclass
class PageApi:
    """The live API, its query counter and the world's store."""

    api: LiveApi
    counter: QueryCounter
    store: GraphStore
