"""Timeline events written by the collaboration mutations, inside their transaction.

Every mutation writes its ``TimelineEvent`` in the same transaction as its change
(and its audit entry, ``audited_write``): all three commit or none does. The
payload never holds free text (a note's body, a comment): what an event may
reveal is decided in ``graph_api.timeline.kinds``, per kind.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.timeline.ids import api_event_id

_EVENT = """
MATCH (c:Company {siren: $siren})
CREATE (e:TimelineEvent {id: $id, siren: $siren, kind: $kind, source: 'api', occurred_on: date($at),
                         known_on: date($at), at: $at, summary: $summary, payload: $payload, pinned: false,
                         note_id: $note_id})
CREATE (e)-[:ABOUT]->(c)
RETURN e.id AS id
"""


async def write_event(
    tx: AsyncManagedTransaction, siren: str, kind: str, at: datetime, summary: str, payload: dict[str, Any]
) -> str:
    """Creates one timeline event about a company in ``tx``; returns its id.

    Args:
        tx: the mutation's transaction.
        siren: the company.
        kind: the event kind (classified in ``graph_api.timeline.kinds``).
        at: when the change happened (UTC).
        summary: a short text without any free text written by an agent.
        payload: machine-readable details (ids, codes), stored as JSON.

    Raises:
        RuntimeError: the company vanished inside the transaction (rolls it back).
    """
    params = {
        "id": api_event_id(at),
        "siren": siren,
        "kind": kind,
        "at": at,
        "summary": summary,
        "payload": json.dumps(payload, sort_keys=True),
        # A note event's readers are the note's (graph_api.timeline.service reads it).
        "note_id": payload.get("note_id"),
    }
    record = await (await tx.run(_EVENT, params)).single()
    if record is None:
        raise RuntimeError(f"company {siren} disappeared during the mutation")
    return str(record["id"])


_LOCK = """
MATCH (c:Company {siren: $siren})
SET c.__lock = true
REMOVE c.__lock
RETURN c.siren AS siren
"""


async def lock_company(tx: AsyncManagedTransaction, siren: str) -> bool:
    """Takes the company's write lock for the rest of ``tx``; False when it is unknown.

    Reads made after this see every transaction that locked the company before
    (they committed first), so check-then-write sequences on one company (follow,
    unfollow) cannot interleave.
    """
    record = await (await tx.run(_LOCK, {"siren": siren})).single()
    return record is not None
