"""Timeline events written by the collaboration mutations, inside their transaction.

An event is ``(:TimelineEvent {id, siren, kind, source, occurred_on, known_on,
summary, payload, pinned})-[:ABOUT]->(:Company)`` as the loaders write them
(docs/graph-model.md), with ``source = 'api'``. The payload names ids, statuses
and agencies only: free text (reasons, outcomes, comments) stays on the objects,
whose own rules decide who reads it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.timeline.ids import api_event_id

_CREATE = """
MATCH (c:Company {siren: $siren})
CREATE (e:TimelineEvent {id: $id, siren: $siren, kind: $kind, source: 'api', occurred_on: $on, known_on: $on,
                         summary: $summary, payload: $payload, pinned: false, at: $at})
CREATE (e)-[:ABOUT]->(c)
RETURN e.id AS id
"""


async def write_event(tx: AsyncManagedTransaction, siren: str, kind: str, summary: str, payload: dict[str, Any]) -> str:
    """Creates one timeline event about a company in the caller's transaction.

    Args:
        tx: the mutation's write transaction.
        siren: the company (it must exist).
        kind: the event kind (classified in ``graph_api.timeline.kinds``).
        summary: one line for people.
        payload: ids, statuses, agencies (stored as JSON).

    Returns:
        The event id.

    Raises:
        RuntimeError: the company is not in the graph (the callers checked it first).
    """
    now = datetime.now(UTC)
    params = {
        "id": api_event_id(now),
        "siren": siren,
        "kind": kind,
        "on": now.date(),
        "at": now,
        "summary": summary,
        "payload": json.dumps(payload, sort_keys=True),
    }
    record = await (await tx.run(_CREATE, params)).single()
    if record is None:
        raise RuntimeError(f"no company {siren} for a {kind} event")
    return str(record["id"])
