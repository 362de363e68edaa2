"""GraphQL types of the caller's profile."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The authenticated caller, as its token describes it.")
class Me:
    sub: str
    name: str
    agency: str
    zones: list[str] = strawberry.field(description="Départements covered (regions expanded).")
    roles: list[str]
    client_id: str


@strawberry.type(description="The caller's stored agent record after an update.")
class Profile:
    sub: str
    email: str | None
    updates: int = strawberry.field(description="How many times the record was written.")
    request_id: str = strawberry.field(description="The request that wrote it (see the audit log).")
