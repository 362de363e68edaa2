"""The outbox: claiming due notifications atomically, recording each attempt.

Claiming is one Cypher statement per batch. Its first ``SET`` depends on the
property it writes, so Neo4j takes the node's write lock before reading it;
the status and lease are then read again under that lock. Of two dispatchers
racing for the same notification, the second waits for the first to commit,
sees the lease taken and skips it. Completing checks the claim token, so a
dispatcher whose lease ran out cannot overwrite the one that took over.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graphstore.store import AsyncGraphStore

CLAIM: LiteralString = """
MATCH (n:Notification)
WHERE n.status = 'pending' AND n.next_attempt_at <= datetime()
  AND (n.lease_until IS NULL OR n.lease_until <= datetime())
WITH n ORDER BY n.next_attempt_at ASC, n.id ASC LIMIT $batch
SET n.claims = coalesce(n.claims, 0) + 1
WITH n
WHERE n.status = 'pending' AND (n.lease_until IS NULL OR n.lease_until <= datetime())
SET n.lease_until = datetime() + duration({milliseconds: $lease_ms}), n.claimed_by = $worker, n.claim = $claim
WITH n
OPTIONAL MATCH (ag:Agency {code: n.agency})
OPTIONAL MATCH (n)-[:ABOUT_LIST]->(p:DetectionListPublication)
RETURN n.id AS id, n.agency AS agency, n.region AS region, n.period AS period, n.channel AS channel,
       n.attempts AS attempts, p.items AS items, ag.name AS agency_name,
       CASE n.channel WHEN 'webhook' THEN ag.webhook_url WHEN 'email' THEN ag.notify_email END AS target,
       ag.webhook_secret AS secret
"""

_SENT: LiteralString = """
MATCH (n:Notification {id: $id}) WHERE n.claim = $claim
SET n.status = 'sent', n.attempts = n.attempts + 1, n.sent_at = datetime(), n.last_error = null,
    n.lease_until = null, n.claim = null
CREATE (n)-[:ATTEMPT]->(:DeliveryAttempt {notification_id: n.id, number: n.attempts, at: datetime(),
        outcome: 'sent', worker: $worker})
RETURN n.attempts AS attempts
"""

_FAILED: LiteralString = """
MATCH (n:Notification {id: $id}) WHERE n.claim = $claim
WITH n, n.attempts + 1 AS attempts
SET n.attempts = attempts, n.last_error = $error, n.lease_until = null, n.claim = null,
    n.status = CASE WHEN attempts >= $max_attempts THEN 'failed' ELSE 'pending' END,
    n.next_attempt_at = CASE WHEN attempts >= $max_attempts THEN null
                        ELSE datetime() + duration({milliseconds: $delay_ms}) END
CREATE (n)-[:ATTEMPT]->(:DeliveryAttempt {notification_id: n.id, number: attempts, at: datetime(),
        outcome: 'failed', error: $error, worker: $worker,
        retry_in_seconds: CASE WHEN attempts >= $max_attempts THEN null ELSE $delay_ms / 1000.0 END})
RETURN n.status AS status, attempts
"""


async def claim(store: AsyncGraphStore, worker: str, claim_id: str, batch: int, lease: float) -> list[dict[str, Any]]:
    """Reserves up to ``batch`` due notifications for ``lease`` seconds; those this worker got.

    Args:
        store: the graph store.
        worker: who claims (logged on the attempts).
        claim_id: a token unique to this claim; completing needs it.
        batch: most notifications claimed.
        lease: seconds before another dispatcher may take a claimed notification over.
    """
    params = {"worker": worker, "claim": claim_id, "batch": batch, "lease_ms": int(lease * 1000)}
    return await store.write(CLAIM, params)


async def mark_sent(store: AsyncGraphStore, notification: str, claim_id: str, worker: str) -> bool:
    """Records a delivery; False when the claim was lost (another dispatcher took over)."""
    rows = await store.write(_SENT, {"id": notification, "claim": claim_id, "worker": worker})
    return bool(rows)


async def mark_failed(
    store: AsyncGraphStore, notification: str, claim_id: str, worker: str, error: str, delay: float, max_attempts: int
) -> str | None:
    """Records a failed attempt and schedules the next one after ``delay`` seconds.

    Returns:
        The new status (``pending`` or, after ``max_attempts``, ``failed``); None
        when the claim was lost.
    """
    params = {
        "id": notification,
        "claim": claim_id,
        "worker": worker,
        "error": error[:500],
        "delay_ms": int(delay * 1000),
        "max_attempts": max_attempts,
    }
    rows = await store.write(_FAILED, params)
    return str(rows[0]["status"]) if rows else None
