"""Bodies of ``signaux api notify`` and ``signaux api notify-channel``."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from graph_api.notifications.dispatcher import Dispatcher
from graph_api.settings import get_api_settings
from graphstore.driver import close_async_driver
from graphstore.store import AsyncGraphStore, GraphStore


async def _run(once: bool) -> int:
    settings = get_api_settings().notify
    dispatcher = Dispatcher(AsyncGraphStore(), settings)
    try:
        if once:
            done = await dispatcher.run_once()
            print(
                f"lists seen: {done.lists}; sent: {len(done.sent)}; "
                f"to retry: {len(done.retrying)}; failed: {len(done.failed)}"
            )
            return 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        print(f"dispatching every {settings.interval:g} s as {dispatcher.worker}; Ctrl-C to stop")
        await dispatcher.run(stop)
        return 0
    finally:
        await close_async_driver()


def notify(once: bool) -> int:
    """Runs the dispatcher: one round with ``once``, else until SIGINT/SIGTERM."""
    return asyncio.run(_run(once))


def set_channel(agency: str, webhook: str | None, secret: str | None, email: str | None) -> int:
    """Sets (or, with ``''``, removes) an agency's webhook URL, webhook secret and e-mail address."""
    changes = {"webhook_url": webhook, "webhook_secret": secret, "notify_email": email}
    values = {k: (v or None) for k, v in changes.items() if v is not None}
    rows = GraphStore().write(
        "MATCH (ag:Agency {code: $code}) SET ag += $values RETURN ag.code AS code, "
        "ag.webhook_url IS NOT NULL AS webhook, ag.notify_email IS NOT NULL AS email",
        {"code": agency, "values": values},
    )
    if not rows:
        print(f"unknown agency {agency!r}")
        return 1
    print(f"{agency}: webhook {'on' if rows[0]['webhook'] else 'off'}, e-mail {'on' if rows[0]['email'] else 'off'}")
    return 0
