"""Reads the outbox for the ``notifications`` query."""

from __future__ import annotations

from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

_OUTBOX: LiteralString = """
MATCH (n:Notification)
WHERE ($agency IS NULL OR n.agency = $agency)
  AND ($status IS NULL OR n.status = $status)
  AND ($period IS NULL OR n.period = $period)
WITH n ORDER BY n.created_at DESC, n.id ASC LIMIT $limit
OPTIONAL MATCH (n)-[:ATTEMPT]->(d:DeliveryAttempt)
WITH n, d ORDER BY d.number ASC
WITH n, collect(CASE WHEN d IS NULL THEN null ELSE {number: d.number, at: d.at, outcome: d.outcome,
     error: d.error, retry_in_seconds: d.retry_in_seconds} END) AS history
RETURN n.id AS id, n.agency AS agency, n.region AS region, n.period AS period, n.channel AS channel,
       n.status AS status, n.attempts AS attempts, n.next_attempt_at AS next_attempt_at,
       n.last_error AS last_error, n.created_at AS created_at, n.sent_at AS sent_at, history
ORDER BY created_at DESC, id ASC
"""


def _native(value: Any) -> Any:
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    return value.to_native() if hasattr(value, "to_native") else value


async def outbox(
    store: AsyncGraphStore, agency: str | None, status: str | None, period: str | None, limit: int
) -> list[dict[str, Any]]:
    """The newest notifications first, with their attempts.

    Args:
        store: the graph store.
        agency: only this agency's; all when None (auditors).
        status: only this status.
        period: only this month's lists.
        limit: most notifications returned.
    """
    params = {"agency": agency, "status": status, "period": period, "limit": limit}
    return [{k: _native(v) for k, v in r.items()} for r in await store.read(_OUTBOX, params)]
