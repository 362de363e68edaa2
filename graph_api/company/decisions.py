"""The request's doctrine decisions for every (block, company) it needs, batched across blocks.

``graph_api.doctrine.guard.authorize_blocks`` decides and audits one block for
many companies (one audit write per call). A company page needs four blocks at
once, and lists need them for many companies: this loader takes every (block,
company) asked in the same tick, reads the doctrine's facts through the
request's facts loader, decides each with ``graph_api.doctrine.rules.decide_block``
(the one rule) and writes all the audit entries in **one** transaction, before
any data is read. Each (block, company) is decided and audited once per request.
"""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome, company_target
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.guard import block_action, company_facts
from graph_api.doctrine.rules import Decision, decide_block

Key = tuple[DataBlock, str]


def _loader(ctx: RequestContext) -> DataLoader[Key, Decision]:
    def build() -> DataLoader[Key, Decision]:
        async def load(keys: list[Key]) -> list[Decision]:
            principal = ctx.me
            facts = {f.siren: f for f in await company_facts(ctx, list(dict.fromkeys(s for _, s in keys)))}
            decisions = {key: decide_block(principal, key[0], facts.get(key[1])) for key in dict.fromkeys(keys)}
            entries = [
                AuditEntry.new(
                    principal,
                    ctx.request_id,
                    block_action(block),
                    company_target(siren),
                    in_zone=d.in_zone,
                    outcome=Outcome.ALLOWED if d.allowed else Outcome.DENIED,
                    basis=d.basis.value if d.basis else None,
                )
                for (block, siren), d in decisions.items()
            ]
            # written before this returns: no data leaves for an unaudited decision
            await audit.record(ctx.store, entries)
            return [decisions[key] for key in keys]

        return DataLoader(load_fn=load)

    return ctx.loader(("company", "decisions"), build)


class BlockDecisions:
    """The decisions of one block, as a loader keyed by SIREN (a view on the shared loader)."""

    def __init__(self, ctx: RequestContext, block: DataBlock) -> None:
        self._loader = _loader(ctx)
        self._block = block

    async def load(self, siren: str) -> Decision:
        """The decision for one company."""
        return await self._loader.load((self._block, siren))

    async def load_many(self, sirens: Sequence[str]) -> list[Decision]:
        """The decisions for many companies, in order."""
        return list(await self._loader.load_many([(self._block, s) for s in sirens]))
