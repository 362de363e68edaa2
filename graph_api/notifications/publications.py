"""Finds newly published detection lists and fills the outbox, idempotently.

A list is published when listed alerts of a (region, month) appear
(``scoring.alerts.detection.write_alerts``). Each round of the dispatcher
records the list once as a ``DetectionListPublication`` (read by the
``alertFeed`` subscription) and merges one ``Notification`` per agency with
agents holding the ``detection`` role in the region, per channel the agency
has. Every node is merged on a unique key, so rounds may repeat, run in two
processes or after a restart without duplicating anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from graph_api.doctrine.blocks import DETECTION_ROLE
from graph_api.notifications.settings import NotifySettings
from graphstore.errors import ConstraintViolation
from graphstore.geo import expand_zones, region_of
from graphstore.store import AsyncGraphStore

_LISTS: LiteralString = """
MATCH (a:Alert)
WHERE a.created_at >= datetime() - duration({days: $days}) AND a.listed = true AND a.region IS NOT NULL
RETURN a.region AS region, a.period AS period, count(*) AS items
"""

# A list is written at once by scoring and re-scoring keeps `created_at`, so the
# alerts of the window are the whole list: no scan of older alerts is needed.

_KNOWN: LiteralString = """
UNWIND $ids AS id
MATCH (p:DetectionListPublication {id: id})
RETURN p.id AS id, p.items AS items
"""

_QUEUED: LiteralString = "UNWIND $ids AS id MATCH (n:Notification {id: id}) RETURN n.id AS id"

_PUBLISH: LiteralString = """
UNWIND $lists AS l
MERGE (p:DetectionListPublication {id: l.region + ':' + l.period})
  ON CREATE SET p.region = l.region, p.period = l.period, p.published_at = datetime()
SET p.items = l.items
RETURN p.id AS id
"""

_AGENCIES: LiteralString = """
MATCH (a:Agent)-[:WORKS_FOR]->(ag:Agency)
WHERE $role IN coalesce(a.roles, [])
RETURN ag.code AS agency, ag.webhook_url AS webhook_url, ag.notify_email AS email, collect(a.zones) AS zones
"""

_ENQUEUE: LiteralString = """
UNWIND $rows AS r
MERGE (n:Notification {id: r.id})
  ON CREATE SET n.agency = r.agency, n.region = r.region, n.period = r.period, n.channel = r.channel,
    n.status = 'pending', n.attempts = 0, n.created_at = datetime(),
    n.next_attempt_at = datetime(), n.last_error = null
WITH n, r
MATCH (p:DetectionListPublication {id: r.region + ':' + r.period})
MERGE (n)-[:ABOUT_LIST]->(p)
RETURN count(n) AS n
"""


@dataclass(frozen=True)
class Channel:
    """Where an agency is notified (the target is read again at delivery time)."""

    kind: str
    target: str


def notification_id(agency: str, region: str, period: str, channel: str) -> str:
    """The idempotency key of a notification: one per agency, list and channel."""
    return f"{agency}|{region}|{period}|{channel}"


def _list_id(row: dict[str, Any]) -> str:
    return f"{row['region']}:{row['period']}"


def _regions(zones_lists: list[list[str] | None]) -> set[str]:
    out: set[str] = set()
    for zones in zones_lists:
        try:
            departements = expand_zones(zones or [])
        except ValueError:
            continue  # an agent with a zone the API no longer knows covers nothing
        out |= {r for r in (region_of(d) for d in departements) if r}
    return out


def _channels(row: dict[str, Any], settings: NotifySettings) -> list[Channel]:
    out = []
    if row.get("webhook_url"):
        out.append(Channel("webhook", str(row["webhook_url"])))
    if row.get("email") and settings.smtp_host:
        out.append(Channel("email", str(row["email"])))
    return out


async def _write(store: AsyncGraphStore, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
    # Two processes merging the same key at once: one loses on the unique
    # constraint; merging again then finds the node the other created.
    try:
        return await store.write(query, params)
    except ConstraintViolation:
        return await store.write(query, params)


async def publish_lists(store: AsyncGraphStore, settings: NotifySettings) -> int:
    """Records the lists published recently and enqueues their notifications.

    Args:
        store: the graph store.
        settings: the look-back window and the SMTP relay (e-mail channel).

    Returns:
        The number of (region, month) lists seen in the window.
    """
    lists = await store.read(_LISTS, {"days": settings.lookback_days})
    if not lists:
        return 0
    rows = [{"region": r["region"], "period": r["period"], "items": int(r["items"])} for r in lists]
    # Rounds run every few seconds: read first, and write only what is new, so a
    # quiet round takes no write lock at all.
    known = {r["id"]: r["items"] for r in await store.read(_KNOWN, {"ids": [_list_id(r) for r in rows]})}
    changed = [r for r in rows if known.get(_list_id(r)) != r["items"]]
    if changed:
        await _write(store, _PUBLISH, {"lists": changed})
    queue: list[dict[str, Any]] = []
    for agency in await store.read(_AGENCIES, {"role": DETECTION_ROLE}):
        covered = _regions(agency["zones"])
        for lst in rows:
            if lst["region"] not in covered:
                continue
            for ch in _channels(agency, settings):
                key = notification_id(agency["agency"], lst["region"], lst["period"], ch.kind)
                queue.append({**lst, "id": key, "agency": agency["agency"], "channel": ch.kind})
    if queue:
        queued = {r["id"] for r in await store.read(_QUEUED, {"ids": [q["id"] for q in queue]})}
        missing = [q for q in queue if q["id"] not in queued]
        if missing:
            await _write(store, _ENQUEUE, {"rows": missing})
    return len(rows)
