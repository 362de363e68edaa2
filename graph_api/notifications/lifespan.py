"""The dispatcher inside the API process: started and stopped with the app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from graph_api.db import Database
from graph_api.notifications.dispatcher import Dispatcher
from graph_api.notifications.settings import NotifySettings
from graphstore.errors import StoreUnavailable


@contextlib.asynccontextmanager
async def notification_dispatcher(database: Database, settings: NotifySettings) -> AsyncIterator[None]:
    """Runs the dispatcher in the background while the app serves (unless ``SIGNAUX_NOTIFY_IN_API=false``).

    It uses the app's guarded store, so a Neo4j outage skips rounds instead of
    blocking them; on shutdown the current round finishes (or is cancelled
    after ``settings.timeout`` seconds) before the driver closes.
    """
    if not settings.in_api:
        yield
        return
    try:
        store = database.store
    except StoreUnavailable:
        yield  # Neo4j was never started: the API answers 503 anyway; nothing to dispatch.
        return
    stop = asyncio.Event()
    task = asyncio.create_task(Dispatcher(store, settings).run(stop), name="signaux-notify")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, settings.timeout + 5)
        except TimeoutError:
            task.cancel()
