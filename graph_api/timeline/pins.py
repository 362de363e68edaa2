"""Pins: an agency marks timeline events to show first (``timeline(pinnedFirst: true)``).

A pin is its own node, ``(:TimelinePin {id: "<agency>|<event id>", agency,
event_id, siren, pinned_at, by})``, not a property of the event: loaders
re-merge events by id and never touch pins, and each agency has its own.
Pinning and unpinning are mutations: the change, its audit entry and an
``event_pinned``/``event_unpinned`` timeline event (agency-private, see
``timeline.kinds.PIN_KINDS``) commit together.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph_api.audit.model import company_target
from graph_api.audit.service import audited_write
from graph_api.context import RequestContext
from graph_api.timeline.ids import api_event_id
from graphstore.store import AsyncGraphStore

_EVENT_OF: LiteralString = """
MATCH (e:TimelineEvent {id: $event_id})-[:ABOUT]->(:Company {siren: $siren})
RETURN e.kind AS kind
"""

_PIN: LiteralString = """
MATCH (e:TimelineEvent {id: $event_id})-[:ABOUT]->(c:Company {siren: $siren})
MERGE (p:TimelinePin {id: $pin_id})
ON CREATE SET p.agency = $agency, p.event_id = $event_id, p.siren = $siren, p.pinned_at = $at, p.by = $sub
RETURN p.pinned_at = $at AS created
"""

_UNPIN: LiteralString = """
OPTIONAL MATCH (p:TimelinePin {id: $pin_id})
DELETE p
RETURN count(p) AS deleted
"""

_LOG: LiteralString = """
MATCH (c:Company {siren: $siren})
CREATE (e:TimelineEvent {id: $id, siren: $siren, kind: $kind, source: 'api', occurred_on: date($at),
                         known_on: date($at), at: $at, agency: $agency, summary: $summary, payload: $payload})
CREATE (e)-[:ABOUT]->(c)
"""

_READ: LiteralString = """
MATCH (e:TimelineEvent {id: $event_id})-[:ABOUT]->(:Company {siren: $siren})
RETURN e.id AS id, e.kind AS kind, e.source AS source, e.occurred_on AS occurred_on, e.known_on AS known_on,
       e.summary AS summary, e.payload AS payload,
       EXISTS { MATCH (:TimelinePin {id: $pin_id}) } AS pinned
"""


def pin_id(agency: str, event_id: str) -> str:
    """The id of an agency's pin on an event."""
    return f"{agency}|{event_id}"


async def event_kind(store: AsyncGraphStore, siren: str, event_id: str) -> str | None:
    """The kind of an event about a company; None when there is no such event about it."""
    rows = await store.read(_EVENT_OF, {"siren": siren, "event_id": event_id})
    return str(rows[0]["kind"]) if rows else None


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


async def set_pin(ctx: RequestContext, siren: str, event_id: str, pinned: bool, *, in_zone: bool) -> dict[str, Any]:
    """Pins (or unpins) an event for the caller's agency; audited, logged on the timeline when it changed.

    The caller has already checked the event is visible to it. Pinning twice, or
    unpinning an event not pinned, changes nothing and logs no event.

    Returns:
        The event's row, with ``pinned`` for the caller's agency.
    """
    me = ctx.me
    at = datetime.now(UTC)
    params: dict[str, Any] = {"siren": siren, "event_id": event_id, "pin_id": pin_id(me.agency, event_id)}
    params |= {"agency": me.agency, "sub": me.sub, "at": at}
    kind = "event_pinned" if pinned else "event_unpinned"

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        if pinned:
            record = await (await tx.run(_PIN, params)).single()
            changed = bool(record and record["created"])
        else:
            record = await (await tx.run(_UNPIN, params)).single()
            changed = bool(record and record["deleted"])
        if changed:
            log = {"id": api_event_id(at), "kind": kind, "summary": f"{kind.replace('_', ' ')} by {me.agency}"}
            log["payload"] = json.dumps({"event_id": event_id, "agency": me.agency}, sort_keys=True)
            await (await tx.run(_LOG, {**params, **log})).consume()
        row = await (await tx.run(_READ, params)).single(strict=True)
        return {k: _native(v) for k, v in dict(row).items()}

    name = "pinEvent" if pinned else "unpinEvent"
    return await audited_write(ctx, f"mutation:{name}", company_target(siren), work, in_zone=in_zone)
