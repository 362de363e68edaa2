"""GraphQL types of the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from graph_api.audit.model import AuditEntry, Outcome
from graph_api.pagination import PageInfo


@strawberry.enum(description="Whether the audited action was carried out.")
class AuditOutcome(Enum):
    ALLOWED = "allowed"
    DENIED = "denied"


@strawberry.type(name="AuditEntry", description="One line of the append-only audit trail.")
class AuditEntryType:
    id: strawberry.ID
    at: datetime
    sub: str = strawberry.field(description="Who: the subject of the caller's token.")
    agency: str
    client_id: str = strawberry.field(description="The OAuth client the call came through.")
    action: str = strawberry.field(description="`read:<block>`, `read:audit` or `mutation:<name>`.")
    target: str = strawberry.field(description="`<kind>:<id>`, e.g. `company:552100554`.")
    in_zone: bool = strawberry.field(description="The target company is in the caller's zones.")
    request_id: str
    outcome: AuditOutcome
    basis: str | None = strawberry.field(
        description="Why a read was allowed: `zone_detection`, `follow` or `intervention`."
    )

    @classmethod
    def from_model(cls, e: AuditEntry) -> AuditEntryType:
        """The GraphQL view of an entry."""
        return cls(
            id=strawberry.ID(e.id),
            at=e.at,
            sub=e.sub,
            agency=e.agency,
            client_id=e.client_id,
            action=e.action,
            target=e.target,
            in_zone=e.in_zone,
            request_id=e.request_id,
            outcome=AuditOutcome(e.outcome.value),
            basis=e.basis,
        )


@strawberry.type(description="A page of audit entries, newest first.")
class AuditEntryConnection:
    nodes: list[AuditEntryType]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Entries matching the filter, all pages together.")


@strawberry.input(description="Audit log filter; every field is optional and they combine with AND.")
class AuditFilterInput:
    sub: str | None = None
    agency: str | None = None
    action: str | None = None
    target: str | None = None
    outcome: AuditOutcome | None = None
    since: datetime | None = None
    until: datetime | None = None

    def outcome_model(self) -> Outcome | None:
        """The filter's outcome as the model's enum."""
        return Outcome(self.outcome.value) if self.outcome else None
