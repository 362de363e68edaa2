"""What an audit entry holds, independent of GraphQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from graph_api.auth.principal import Principal


class Outcome(StrEnum):
    """Whether the audited action was carried out."""

    ALLOWED = "allowed"
    DENIED = "denied"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail (``(:AuditEntry)`` in the graph).

    Attributes:
        id: a random UUID.
        at: when (UTC).
        sub: who (the token's subject).
        agency: the caller's agency.
        client_id: the OAuth client the call came through.
        action: what: ``read:<block>`` for a data-block read, ``mutation:<name>``
            for a mutation, ``read:audit`` for an audit-log query.
        target: on what, as ``<kind>:<id>`` (``company:552100554``).
        in_zone: the target company is in the caller's zones (False when the target
            is not a company).
        request_id: the HTTP request it belongs to.
        outcome: ``allowed`` or ``denied``.
        basis: why a read was allowed (``zone_detection``, ``follow``,
            ``intervention``); None otherwise.
    """

    id: str
    at: datetime
    sub: str
    agency: str
    client_id: str
    action: str
    target: str
    in_zone: bool
    request_id: str
    outcome: Outcome = Outcome.ALLOWED
    basis: str | None = None

    @classmethod
    def new(
        cls,
        principal: Principal,
        request_id: str,
        action: str,
        target: str,
        *,
        in_zone: bool = False,
        outcome: Outcome = Outcome.ALLOWED,
        basis: str | None = None,
    ) -> AuditEntry:
        """An entry for ``principal`` now, with a fresh id.

        Args:
            principal: who acts.
            request_id: the request's id.
            action: what (see the class attributes).
            target: on what.
            in_zone: the target is in the caller's zones.
            outcome: allowed or denied.
            basis: why it was allowed.
        """
        return cls(
            id=str(uuid.uuid4()),
            at=datetime.now(UTC),
            sub=principal.sub,
            agency=principal.agency,
            client_id=principal.client_id,
            action=action,
            target=target,
            in_zone=in_zone,
            request_id=request_id,
            outcome=outcome,
            basis=basis,
        )

    def params(self) -> dict[str, Any]:
        """The entry as Cypher parameters."""
        return {
            "id": self.id,
            "at": self.at,
            "sub": self.sub,
            "agency": self.agency,
            "client_id": self.client_id,
            "action": self.action,
            "target": self.target,
            "in_zone": self.in_zone,
            "request_id": self.request_id,
            "outcome": self.outcome.value,
            "basis": self.basis,
        }


def company_target(siren: str) -> str:
    """The audit target of a company."""
    return f"company:{siren}"
