"""One Neo4j driver per process (sync and async), created lazily and shared."""

from __future__ import annotations

import threading

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graphstore.connection import ConnectionInfo, resolve_connection
from graphstore.settings import get_settings

_lock = threading.Lock()
_driver: tuple[ConnectionInfo, Driver] | None = None
_async_driver: tuple[ConnectionInfo, AsyncDriver] | None = None

# Fail fast when the server is away: callers turn that into SERVICE_UNAVAILABLE.
_CONNECTION_TIMEOUT = 5.0
_ACQUISITION_TIMEOUT = 10.0
_MAX_RETRY_TIME = 15.0
_POOL_SIZE = 50
# Schema warnings on a fresh database (unknown labels) are noise for every command.


def get_driver() -> tuple[Driver, str]:
    """Returns the process's synchronous driver and the database name."""
    global _driver
    with _lock:
        info = resolve_connection(get_settings())
        if _driver is None or _driver[0] != info:
            if _driver is not None:
                _driver[1].close()
            drv = GraphDatabase.driver(
                info.uri,
                auth=(info.user, info.password),
                connection_timeout=_CONNECTION_TIMEOUT,
                connection_acquisition_timeout=_ACQUISITION_TIMEOUT,
                max_transaction_retry_time=_MAX_RETRY_TIME,
                max_connection_pool_size=_POOL_SIZE,
                notifications_min_severity="OFF",
            )
            _driver = (info, drv)
        return _driver[1], _driver[0].database


def get_async_driver() -> tuple[AsyncDriver, str]:
    """Returns the process's asynchronous driver (for the API) and the database name."""
    global _async_driver
    with _lock:
        info = resolve_connection(get_settings())
        if _async_driver is None or _async_driver[0] != info:
            drv = AsyncGraphDatabase.driver(
                info.uri,
                auth=(info.user, info.password),
                connection_timeout=_CONNECTION_TIMEOUT,
                connection_acquisition_timeout=_ACQUISITION_TIMEOUT,
                max_transaction_retry_time=_MAX_RETRY_TIME,
                max_connection_pool_size=_POOL_SIZE,
                notifications_min_severity="OFF",
            )
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
