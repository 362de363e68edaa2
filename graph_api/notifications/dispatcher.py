"""The dispatcher: finds published lists, then delivers due notifications with retries.

Run it in the API process (``SIGNAUX_NOTIFY_IN_API``, started and stopped by the
app's lifespan), as its own process (``signaux api notify``), or both, any
number of times: the outbox in Neo4j is the only shared state, claims are
atomic and every key is unique.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import uuid
from dataclasses import dataclass, field

import httpx

from graph_api.notifications import outbox
from graph_api.notifications.delivery import DeliveryError, send_email, send_webhook
from graph_api.notifications.publications import publish_lists
from graph_api.notifications.settings import NotifySettings
from graphstore.errors import StoreUnavailable
from graphstore.store import AsyncGraphStore

log = logging.getLogger("signaux.api.notify")


@dataclass
class Round:
    """What one round did."""

    lists: int = 0
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Dispatcher:
    """Delivers the notification outbox.

    Args:
        store: the graph store.
        settings: intervals, retries, back-off, lease, SMTP.
        worker: this dispatcher's name in the attempts (host and a random suffix by default).
    """

    def __init__(self, store: AsyncGraphStore, settings: NotifySettings, worker: str | None = None) -> None:
        self.store = store
        self.settings = settings
        self.worker = worker or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"

    async def run_once(self) -> Round:
        """One round: record newly published lists, then deliver what is due."""
        done = Round(lists=await publish_lists(self.store, self.settings))
        claim_id = uuid.uuid4().hex
        rows = await outbox.claim(self.store, self.worker, claim_id, self.settings.batch, self.settings.lease)
        if not rows:
            return done
        async with httpx.AsyncClient(follow_redirects=False) as client:
            for row in rows:
                await self._deliver(client, row, claim_id, done)
        return done

    async def _deliver(self, client: httpx.AsyncClient, row: dict[str, object], claim_id: str, done: Round) -> None:
        nid = str(row["id"])
        try:
            if row["channel"] == "email":
                await send_email(dict(row), self.settings)
            else:
                await send_webhook(client, dict(row), self.settings)
        except DeliveryError as exc:
            attempts = int(str(row.get("attempts") or 0)) + 1
            status = await outbox.mark_failed(
                self.store,
                nid,
                claim_id,
                self.worker,
                str(exc),
                self.settings.delay(attempts),
                self.settings.max_attempts,
            )
            (done.failed if status == "failed" else done.retrying).append(nid)
            log.warning("notification %s not delivered (attempt %d): %s", nid, attempts, exc)
            return
        if await outbox.mark_sent(self.store, nid, claim_id, self.worker):
            done.sent.append(nid)
        else:
            log.warning("notification %s delivered after its lease ran out", nid)

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds every ``interval`` seconds until ``stop`` is set; outages and bugs never end the loop."""
        while not stop.is_set():
            try:
                await self.run_once()
            except StoreUnavailable:
                log.warning("notification round skipped: Neo4j unavailable")
            except Exception:
                log.exception("notification round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.interval)
