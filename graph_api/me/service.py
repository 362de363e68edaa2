"""Keeps the ``(:Agent)-[:WORKS_FOR]->(:Agency)`` record of a caller in step with its token."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.audit.service import audited_write
from graph_api.auth.principal import Principal
from graph_api.context import RequestContext

_UPSERT = """
MERGE (ag:Agency {code: $agency})
MERGE (a:Agent {sub: $sub})
SET a.name = $name, a.zones = $zones, a.roles = $roles, a.email = coalesce($email, a.email),
    a.updated_at = datetime(), a.updates = coalesce(a.updates, 0) + 1
WITH a, ag
OPTIONAL MATCH (a)-[old:WORKS_FOR]->(other:Agency) WHERE other <> ag
DELETE old
MERGE (a)-[:WORKS_FOR]->(ag)
RETURN a.email AS email, a.updates AS updates
"""


def _params(p: Principal, email: str | None) -> dict[str, Any]:
    return {
        "agency": p.agency,
        "sub": p.sub,
        "name": p.name,
        "zones": sorted(p.zones),
        "roles": sorted(p.roles),
        "email": email,
    }


async def update_profile(ctx: RequestContext, email: str | None) -> dict[str, Any]:
    """Writes the caller's agent record from its token (and a contact e-mail), audited.

    Args:
        ctx: the request context.
        email: a contact e-mail to keep; the stored one is kept when None.

    Returns:
        The stored ``email`` and the number of ``updates`` so far.
    """
    params = _params(ctx.me, email)

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        record = await (await tx.run(_UPSERT, params)).single(strict=True)
        return dict(record)

    return await audited_write(ctx, "mutation:updateMyProfile", f"agent:{ctx.me.sub}", work)
