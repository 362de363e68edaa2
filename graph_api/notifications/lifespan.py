"""The dispatcher inside the API process: started and stopped with the app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from graph_api.db import Database
from graph_api.notifications.dispatcher import Dispatcher
from graph_api.ops.metrics import Metrics
from graph_api.settings import ApiSettings
from graphstore.errors import StoreUnavailable

log = logging.getLogger("signaux.api.notify")


@contextlib.asynccontextmanager
async def notification_dispatcher(settings: ApiSettings) -> AsyncIterator[None]:
    """Runs the dispatcher in the background while the app serves (unless ``SIGNAUX_NOTIFY_IN_API=false``).

    It has its own small guarded connection (two sessions) and its own metrics:
    its rounds neither take sessions from requests nor show in the API's
    request metrics, and a Neo4j outage skips rounds instead of blocking them.
    The first round waits one interval, so that it never competes with start-up.
    On shutdown the current round finishes (or is cancelled after the delivery
    timeout) before the connection closes.
    """
    notify = settings.notify
    if not notify.in_api:
        yield
        return
    database = Database(settings.with_changes(neo4j_pool_size=2), Metrics())
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), notify.interval)
            try:
                store = database.store
            except StoreUnavailable:
                continue  # the local Neo4j was never started: try again next interval
            if not stop.is_set():
                await Dispatcher(store, notify).run(stop)

    task = asyncio.create_task(loop(), name="signaux-notify")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, notify.timeout + 5)
        except TimeoutError:
            task.cancel()
        except Exception:
            # A failed dispatcher must not fail the shutdown.
            log.exception("the notification dispatcher ended with an error")
        await database.close()
