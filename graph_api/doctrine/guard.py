"""Enforcement: the doctrine's decisions applied to a request, and audited.

Resolvers never decide themselves: they call ``authorize_blocks`` (data blocks
of companies) or ``require_role`` (role-only features such as the audit log),
which consult the pure rules, write the audit entries, and hand back decisions.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome, company_target
from graph_api.auth.principal import Principal
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import CompanyFacts, Decision, decide_block
from graph_api.errors import forbidden


def block_action(block: DataBlock) -> str:
    """The audit action of reading ``block``."""
    return f"read:{block.value}"


async def company_facts(ctx: RequestContext, sirens: Sequence[str]) -> list[CompanyFacts]:
    """The doctrine's facts for companies, through the request's batched loader."""
    return list(await facts_loader(ctx).load_many(list(sirens)))


async def authorize_blocks(ctx: RequestContext, block: DataBlock, sirens: Sequence[str]) -> dict[str, Decision]:
    """Decides, for each company, whether the caller may read ``block``; audits every decision.

    The audit entries (allowed and denied) are written before this returns, so a
    caller that gets an allowed decision can return the data knowing the read is
    recorded; if the audit cannot be written the exception propagates and no data
    is returned.

    Args:
        ctx: the request context.
        block: the data block.
        sirens: the companies (duplicates are decided and audited once).

    Returns:
        The decision per SIREN.
    """
    principal = ctx.me
    unique = list(dict.fromkeys(sirens))
    facts = await company_facts(ctx, unique)
    decisions = {f.siren: decide_block(principal, block, f) for f in facts}
    await audit.record(ctx.store, [_entry(ctx, principal, block, s, d) for s, d in decisions.items()])
    return decisions


def _entry(ctx: RequestContext, principal: Principal, block: DataBlock, siren: str, d: Decision) -> AuditEntry:
    return AuditEntry.new(
        principal,
        ctx.request_id,
        block_action(block),
        company_target(siren),
        in_zone=d.in_zone,
        outcome=Outcome.ALLOWED if d.allowed else Outcome.DENIED,
        basis=d.basis.value if d.basis else None,
    )


def require_role(ctx: RequestContext, role: str) -> Principal:
    """The caller, when it holds ``role``.

    Raises:
        ApiError: ``FORBIDDEN`` otherwise.
    """
    principal = ctx.me
    if not principal.has_role(role):
        raise forbidden()
    return principal
