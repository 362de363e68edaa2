"""Interventions in the graph: reads, and the changes each mutation makes in its transaction.

Every change first touches the intervention node (``version + 1``), which takes
Neo4j's write lock on it: two concurrent changes of the same intervention are
serialised, and the second re-reads the state the first left before its checks.
A refused change raises inside the transaction, which rolls back: nothing of it,
nor its audit entry, nor its timeline event, is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph_api.auth.principal import Principal
from graph_api.errors import ApiError, ErrorCode, bad_input, forbidden
from graph_api.intervention import access
from graph_api.intervention.events import write_event
from graph_api.intervention.model import InterventionKind, InterventionStatus, ParticipantRole, can_move
from graphstore.store import AsyncGraphStore

_RETURN: LiteralString = """
OPTIONAL MATCH (ag:Agency)-[p:PARTICIPATES_IN]->(i)
WITH i, c, ag, p ORDER BY p.joined_at, ag.code
RETURN i {.*} AS i, c.siren AS siren, c.departement AS departement,
       collect(CASE WHEN p IS NULL THEN null
               ELSE {agency: ag.code, role: p.role, joined_at: p.joined_at, left_at: p.left_at} END) AS participants
"""
_BY_ID: LiteralString = "MATCH (i:Intervention {id: $id})-[:ABOUT]->(c:Company)\n" + _RETURN
_LOCK: LiteralString = (
    "MATCH (i:Intervention {id: $id})-[:ABOUT]->(c:Company)\nSET i.version = coalesce(i.version, 0) + 1\nWITH i, c\n"
    + _RETURN
)
_BY_COMPANY: LiteralString = (
    "MATCH (i:Intervention)-[:ABOUT]->(c:Company {siren: $siren})\n"
    + _RETURN
    + "ORDER BY i.opened_at DESC, i.id DESC LIMIT $limit"
)


@dataclass(frozen=True)
class Participation:
    """One stint of an agency in an intervention (an agency may leave and join again)."""

    agency: str
    role: ParticipantRole
    joined_at: datetime
    left_at: datetime | None


@dataclass(frozen=True)
class InterventionRecord:
    """An intervention as stored."""

    id: str
    siren: str
    departement: str | None
    kind: InterventionKind
    status: InterventionStatus
    opened_at: datetime
    opened_by: str | None
    closed_at: datetime | None
    outcome: str | None
    alert_id: str | None
    participants: list[Participation]

    def facts(self) -> access.InterventionFacts:
        """The facts the access rules decide on."""
        active = frozenset(p.agency for p in self.participants if p.left_at is None)
        return access.InterventionFacts(self.id, self.siren, self.status, active)


def _when(value: Any) -> datetime | None:
    """A stored date or datetime as an aware datetime (dates written by hand count as midnight UTC)."""
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    if isinstance(native, datetime):
        return native if native.tzinfo else native.replace(tzinfo=UTC)
    if isinstance(native, date):
        return datetime.combine(native, time(), tzinfo=UTC)
    raise TypeError(f"not a date: {value!r}")


def _role(value: Any) -> ParticipantRole:
    try:
        return ParticipantRole(str(value))
    except ValueError:
        return ParticipantRole.CONTRIBUTOR


def _record(row: Any) -> InterventionRecord:
    i = row["i"]
    parts = [
        Participation(
            p["agency"],
            _role(p["role"]),
            _when(p["joined_at"]) or datetime.min.replace(tzinfo=UTC),
            _when(p["left_at"]),
        )
        for p in row["participants"]
    ]
    return InterventionRecord(
        id=i["id"],
        siren=row["siren"],
        departement=row["departement"],
        kind=InterventionKind(i.get("kind") or "other"),
        status=InterventionStatus(i.get("status") or "open"),
        opened_at=_when(i.get("opened_at")) or datetime.min.replace(tzinfo=UTC),
        opened_by=i.get("opened_by"),
        closed_at=_when(i.get("closed_at")),
        outcome=i.get("outcome"),
        alert_id=i.get("alert_id"),
        participants=parts,
    )


async def get(store: AsyncGraphStore, intervention_id: str) -> InterventionRecord | None:
    """The intervention, or None when there is none with that id."""
    rows = await store.read(_BY_ID, {"id": intervention_id})
    return _record(rows[0]) if rows else None


async def of_company(store: AsyncGraphStore, siren: str, limit: int) -> list[InterventionRecord]:
    """The company's interventions, newest first (the caller filters them with ``access.can_read``)."""
    return [_record(r) for r in await store.read(_BY_COMPANY, {"siren": siren, "limit": limit})]


async def unknown_agencies(store: AsyncGraphStore, codes: Sequence[str]) -> list[str]:
    """The codes among ``codes`` that name no ``Agency``."""
    rows = await store.read(
        "UNWIND $codes AS code OPTIONAL MATCH (a:Agency {code: code}) WITH code, a WHERE a IS NULL RETURN code",
        {"codes": list(codes)},
    )
    return [str(r["code"]) for r in rows]


async def lock(tx: AsyncManagedTransaction, principal: Principal, intervention_id: str) -> InterventionRecord:
    """Locks and reads the intervention for a change by ``principal``.

    Raises:
        ApiError: ``FORBIDDEN`` when it does not exist or the caller's agency does
            not take part in it now (the same error for both).
    """
    row = await (await tx.run(_LOCK, {"id": intervention_id})).single()
    if row is None:
        raise forbidden()
    record = _record(row)
    if not access.can_change(principal, record.facts()):
        raise forbidden()
    return record


def _invalid(message: str, **details: Any) -> ApiError:
    return ApiError(ErrorCode.INVALID_TRANSITION, message, details)


def _not_closed(record: InterventionRecord) -> None:
    if access.is_closed(record.facts()):
        raise _invalid("the intervention is closed; nothing changes it any more", status=record.status.name)


def _expect(record: InterventionRecord, expected: InterventionStatus | None) -> None:
    if expected is not None and record.status is not expected:
        raise ApiError(
            ErrorCode.CONFLICT,
            "the intervention's status changed in the meantime",
            {"argument": "expectedStatus", "currentStatus": record.status.name},
        )


def new_id() -> str:
    """A fresh intervention id."""
    return str(uuid.uuid4())


async def create(
    tx: AsyncManagedTransaction,
    principal: Principal,
    intervention_id: str,
    siren: str,
    kind: InterventionKind,
    others: Sequence[tuple[str, ParticipantRole]],
    alert_id: str | None = None,
) -> None:
    """Creates the intervention, its lead (the caller's agency), the other participants and the event."""
    now = datetime.now(UTC)
    await (
        await tx.run(
            "MATCH (c:Company {siren: $siren}) MERGE (lead:Agency {code: $agency}) "
            "CREATE (i:Intervention {id: $id, siren: $siren, kind: $kind, status: 'open', opened_at: $now, "
            "opened_by: $agency, opened_by_sub: $sub, alert_id: $alert_id, version: 1})-[:ABOUT]->(c) "
            "CREATE (lead)-[:PARTICIPATES_IN {role: 'lead', joined_at: $now, by: $sub}]->(i) "
            "WITH i UNWIND $others AS o MATCH (ag:Agency {code: o.agency}) "
            "CREATE (ag)-[:PARTICIPATES_IN {role: o.role, joined_at: $now, by: $sub}]->(i)",
            {
                "siren": siren,
                "agency": principal.agency,
                "sub": principal.sub,
                "id": intervention_id,
                "kind": kind.value,
                "now": now,
                "alert_id": alert_id,
                "others": [{"agency": a, "role": r.value} for a, r in others],
            },
        )
    ).consume()
    participants = [{"agency": principal.agency, "role": "lead"}] + [{"agency": a, "role": r.value} for a, r in others]
    payload = {
        "intervention": intervention_id,
        "kind": kind.value,
        "by": principal.agency,
        "participants": participants,
    }
    if alert_id:
        payload["alert"] = alert_id
    await write_event(
        tx, siren, "intervention_opened", f"Intervention opened ({kind.value}) by {principal.agency}", payload
    )


async def change_status(
    tx: AsyncManagedTransaction,
    principal: Principal,
    intervention_id: str,
    target: InterventionStatus,
    expected: InterventionStatus | None,
    outcome: str | None = None,
) -> None:
    """Moves the intervention to ``target`` when the matrix allows it (``outcome`` when closing).

    Raises:
        ApiError: ``FORBIDDEN`` (unknown, or not a participant), ``CONFLICT`` (not
            in ``expected``), ``INVALID_TRANSITION`` (not in the matrix).
    """
    record = await lock(tx, principal, intervention_id)
    _expect(record, expected)
    if not can_move(record.status, target):
        raise _invalid(
            f"an intervention cannot go from {record.status.name} to {target.name}",
            argument="status",
            currentStatus=record.status.name,
        )
    closing = target is InterventionStatus.CLOSED
    await (
        await tx.run(
            "MATCH (i:Intervention {id: $id}) SET i.status = $to, i.updated_at = $now, i.updated_by = $sub "
            "FOREACH (_ IN CASE WHEN $closing THEN [1] ELSE [] END | "
            "  SET i.closed_at = $now, i.outcome = $outcome, i.closed_by = $agency)",
            {
                "id": intervention_id,
                "to": target.value,
                "now": datetime.now(UTC),
                "sub": principal.sub,
                "closing": closing,
                "outcome": outcome,
                "agency": principal.agency,
            },
        )
    ).consume()
    payload = {"intervention": intervention_id, "from": record.status.value, "to": target.value, "by": principal.agency}
    if closing:
        await write_event(
            tx, record.siren, "intervention_closed", f"Intervention closed by {principal.agency}", payload
        )
    else:
        summary = f"Intervention {record.status.value} -> {target.value} by {principal.agency}"
        await write_event(tx, record.siren, "intervention_status_changed", summary, payload)


async def add_participant(
    tx: AsyncManagedTransaction, principal: Principal, intervention_id: str, agency: str, role: ParticipantRole
) -> None:
    """Adds ``agency`` (a new stint; earlier ones are kept) to an intervention that is not closed.

    Raises:
        ApiError: ``FORBIDDEN``, ``INVALID_TRANSITION`` (closed), ``BAD_USER_INPUT``
            (unknown agency, or one taking part already).
    """
    record = await lock(tx, principal, intervention_id)
    _not_closed(record)
    if agency in record.facts().active_agencies:
        raise bad_input("that agency already takes part in the intervention", argument="agency")
    row = await (
        await tx.run(
            "MATCH (i:Intervention {id: $id}) MATCH (ag:Agency {code: $agency}) "
            "CREATE (ag)-[:PARTICIPATES_IN {role: $role, joined_at: $now, by: $sub}]->(i) RETURN ag.code AS code",
            {
                "id": intervention_id,
                "agency": agency,
                "role": role.value,
                "now": datetime.now(UTC),
                "sub": principal.sub,
            },
        )
    ).single()
    if row is None:
        raise bad_input("no agency has that code", argument="agency")
    payload = {"intervention": intervention_id, "agency": agency, "role": role.value, "by": principal.agency}
    await write_event(tx, record.siren, "intervention_participant_joined", f"{agency} joined the intervention", payload)


async def leave(tx: AsyncManagedTransaction, principal: Principal, intervention_id: str) -> None:
    """Ends the caller's agency's participation (``left_at``); the stint stays in the history.

    Raises:
        ApiError: ``FORBIDDEN``, ``INVALID_TRANSITION`` (closed, or the caller's
            agency is the last participant: close the intervention instead).
    """
    record = await lock(tx, principal, intervention_id)
    _not_closed(record)
    if record.facts().active_agencies == {principal.agency}:
        raise _invalid("the last participant cannot leave; close the intervention instead")
    await (
        await tx.run(
            "MATCH (:Agency {code: $agency})-[p:PARTICIPATES_IN]->(:Intervention {id: $id}) WHERE p.left_at IS NULL "
            "SET p.left_at = $now, p.left_by = $sub",
            {"id": intervention_id, "agency": principal.agency, "now": datetime.now(UTC), "sub": principal.sub},
        )
    ).consume()
    payload = {"intervention": intervention_id, "agency": principal.agency, "by": principal.agency}
    await write_event(
        tx, record.siren, "intervention_participant_left", f"{principal.agency} left the intervention", payload
    )
