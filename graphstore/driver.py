"""One Neo4j driver per process (sync and async), created lazily and shared."""

from __future__ import annotations

import threading
from typing import Literal, TypedDict

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graphstore.connection import ConnectionInfo, resolve_connection
from graphstore.settings import get_settings

_lock = threading.Lock()
_driver: tuple[ConnectionInfo, Driver] | None = None
_async_driver: tuple[ConnectionInfo, AsyncDriver] | None = None


class _DriverOptions(TypedDict):
    connection_timeout: float
    connection_acquisition_timeout: float
    max_transaction_retry_time: float
    max_connection_pool_size: int
    notifications_min_severity: Literal["OFF"]


# Fail fast when the server is away: callers turn that into SERVICE_UNAVAILABLE.
# Schema warnings on a fresh database (unknown labels) are noise for every command.
_OPTIONS: _DriverOptions = {
    "connection_timeout": 5.0,
    "connection_acquisition_timeout": 10.0,
    "max_transaction_retry_time": 15.0,
    "max_connection_pool_size": 50,
    "notifications_min_severity": "OFF",
}


def get_driver() -> tuple[Driver, str]:
    """Returns the process's synchronous driver and the database name."""
    global _driver
    with _lock:
        info = resolve_connection(get_settings())
        if _driver is None or _driver[0] != info:
            if _driver is not None:
                _driver[1].close()
            _driver = (info, GraphDatabase.driver(info.uri, auth=(info.user, info.password), **_OPTIONS))
        return _driver[1], _driver[0].database


def get_async_driver() -> tuple[AsyncDriver, str]:
    """Returns the process's asynchronous driver (for the API) and the database name."""
    global _async_driver
    with _lock:
        info = resolve_connection(get_settings())
        if _async_driver is None or _async_driver[0] != info:
            drv = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password), **_OPTIONS)
            _async_driver = (info, drv)
        return _async_driver[1], _async_driver[0].database


def close_drivers() -> None:
    """Closes the synchronous driver (the async one is closed by its event loop owner)."""
    global _driver
    with _lock:
        if _driver is not None:
            _driver[1].close()
            _driver = None


async def close_async_driver() -> None:
    """Closes the asynchronous driver."""
    global _async_driver
    drv = _async_driver
    _async_driver = None
    if drv is not None:
        await drv[1].close()
