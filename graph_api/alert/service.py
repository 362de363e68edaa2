"""Alert handling and detection feedback in the graph.

Each agency's handling of an alert is one relationship,
``(Agency)-[:HANDLES {status, reason, at, by, intervention_id}]->(Alert)``, which
the detection lists read. Feedback is one ``(:DetectionFeedback)-[:ON]->(Alert)``
per agent and alert (a later answer replaces the earlier one, counting
``revisions``). Every change takes the HANDLES (or feedback) lock first, re-reads
the state under it, checks, then writes its timeline event in the same
transaction; a refusal raises and rolls everything back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.alert.model import AlertFacts, HandlingStatus, can_move
from graph_api.auth.principal import Principal
from graph_api.errors import ApiError, ErrorCode
from graph_api.intervention import service as interventions
from graph_api.intervention.events import write_event
from graph_api.intervention.model import InterventionKind, ParticipantRole
from graphstore.store import AsyncGraphStore

_READ = """
MATCH (a:Alert {id: $id})-[:FOR]->(c:Company)
OPTIONAL MATCH (:Agency {code: $agency})-[h:HANDLES]->(a)
OPTIONAL MATCH (f:DetectionFeedback {id: $feedback_id})
RETURN a {.*} AS a, c.siren AS siren, c.departement AS departement, h {.*} AS h, f {.*} AS f
"""

_LOCK = """
MATCH (a:Alert {id: $id})
MERGE (ag:Agency {code: $agency})
MERGE (ag)-[h:HANDLES]->(a)
SET h.version = coalesce(h.version, 0) + 1
RETURN h.status AS status
"""

_SET = """
MATCH (:Agency {code: $agency})-[h:HANDLES]->(:Alert {id: $id})
SET h.status = $status, h.reason = $reason, h.at = $now, h.by = $sub, h.intervention_id = $intervention_id
"""

_FEEDBACK = """
MATCH (a:Alert {id: $id})
MERGE (f:DetectionFeedback {id: $feedback_id})
ON CREATE SET f.alert_id = a.id, f.sub = $sub, f.created_at = $now
SET f.agency = $agency, f.siren = a.siren, f.period = a.period, f.useful = $useful, f.comment = $comment,
    f.at = $now, f.revisions = coalesce(f.revisions, 0) + 1
MERGE (f)-[:ON]->(a)
RETURN f {.*} AS f
"""


@dataclass(frozen=True)
class Handling:
    """An agency's handling of an alert."""

    status: HandlingStatus
    reason: str | None
    at: datetime | None
    by: str | None
    intervention_id: str | None


@dataclass(frozen=True)
class Feedback:
    """One agent's answer to "was this detection useful?"."""

    alert_id: str
    agency: str
    useful: bool
    comment: str | None
    at: datetime | None
    revisions: int


@dataclass(frozen=True)
class AlertView:
    """An alert with the caller's agency's handling and the caller's feedback."""

    facts: AlertFacts
    period: str
    level: str | None
    region: str | None
    first_alert: bool
    handling: Handling | None
    feedback: Feedback | None


def feedback_id(alert_id: str, sub: str) -> str:
    """The key of an agent's feedback on an alert (one per agent and alert)."""
    return f"{alert_id}|{sub}"


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _handling(h: dict[str, Any] | None) -> Handling | None:
    if not h or not h.get("status"):
        return None
    return Handling(
        HandlingStatus(h["status"]), h.get("reason"), _native(h.get("at")), h.get("by"), h.get("intervention_id")
    )


def _feedback(f: dict[str, Any] | None) -> Feedback | None:
    if not f:
        return None
    return Feedback(
        f["alert_id"],
        f["agency"],
        bool(f["useful"]),
        f.get("comment"),
        _native(f.get("at")),
        int(f.get("revisions") or 1),
    )


async def view(store: AsyncGraphStore, principal: Principal, alert_id: str) -> AlertView | None:
    """The alert seen by ``principal`` (its agency's handling, its own feedback); None when unknown."""
    params = {"id": alert_id, "agency": principal.agency, "feedback_id": feedback_id(alert_id, principal.sub)}
    rows = await store.read(_READ, params)
    if not rows:
        return None
    r = rows[0]
    a = r["a"]
    facts = AlertFacts(a["id"], r["siren"], r["departement"], bool(a.get("listed")))
    return AlertView(
        facts=facts,
        period=str(a.get("period")),
        level=a.get("level"),
        region=a.get("region"),
        first_alert=bool(a.get("first_alert")),
        handling=_handling(r["h"]),
        feedback=_feedback(r["f"]),
    )


def _invalid(current: HandlingStatus | None, target: HandlingStatus) -> ApiError:
    name = current.name if current else "UNHANDLED"
    return ApiError(
        ErrorCode.INVALID_TRANSITION,
        f"an alert handled as {name} cannot become {target.name}",
        {"currentStatus": name},
    )


async def handle(
    tx: AsyncManagedTransaction,
    principal: Principal,
    alert: AlertFacts,
    target: HandlingStatus,
    reason: str | None = None,
    intervention: tuple[InterventionKind, Sequence[tuple[str, ParticipantRole]]] | None = None,
) -> str | None:
    """Moves the caller's agency's handling of ``alert`` to ``target``, with its event.

    Args:
        tx: the mutation's transaction.
        principal: the caller (already allowed to handle the alert).
        alert: the alert.
        target: the new status.
        reason: why (dismissals).
        intervention: for a conversion, the kind and other participants of the
            intervention to open.

    Returns:
        The id of the intervention opened by a conversion, else None.

    Raises:
        ApiError: ``INVALID_TRANSITION`` when the move is not allowed.
    """
    row = await (await tx.run(_LOCK, {"id": alert.id, "agency": principal.agency})).single(strict=True)
    current = HandlingStatus(row["status"]) if row["status"] else None
    if not can_move(current, target):
        raise _invalid(current, target)
    new_id: str | None = None
    if intervention is not None:
        new_id = interventions.new_id()
        kind, others = intervention
        await interventions.create(tx, principal, new_id, alert.siren, kind, others, alert_id=alert.id)
        await (
            await tx.run(
                "MATCH (i:Intervention {id: $iid}), (a:Alert {id: $id}) CREATE (i)-[:FROM_ALERT]->(a)",
                {"iid": new_id, "id": alert.id},
            )
        ).consume()
    params = {
        "id": alert.id,
        "agency": principal.agency,
        "status": target.value,
        "reason": reason,
        "now": datetime.now(UTC),
        "sub": principal.sub,
        "intervention_id": new_id,
    }
    await (await tx.run(_SET, params)).consume()
    payload: dict[str, Any] = {"alert": alert.id, "agency": principal.agency, "status": target.value}
    if new_id:
        payload["intervention"] = new_id
    await write_event(tx, alert.siren, f"alert_{target.value}", f"Alert {target.value} by {principal.agency}", payload)
    return new_id


async def record_feedback(
    tx: AsyncManagedTransaction, principal: Principal, alert: AlertFacts, useful: bool, comment: str | None
) -> Feedback:
    """Stores (or replaces) the caller's feedback on ``alert``, with its event."""
    params = {
        "id": alert.id,
        "feedback_id": feedback_id(alert.id, principal.sub),
        "sub": principal.sub,
        "agency": principal.agency,
        "useful": useful,
        "comment": comment,
        "now": datetime.now(UTC),
    }
    row = await (await tx.run(_FEEDBACK, params)).single(strict=True)
    payload = {"alert": alert.id, "agency": principal.agency, "useful": useful}
    summary = f"Detection judged {'useful' if useful else 'not useful'} by {principal.agency}"
    await write_event(tx, alert.siren, "detection_feedback", summary, payload)
    fb = _feedback(row["f"])
    assert fb is not None  # the MERGE above returns the node
    return fb
