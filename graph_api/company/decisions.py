"""The request's doctrine decisions for every (block, company) it needs, batched across blocks.

``graph_api.doctrine.guard.authorize_blocks`` decides and audits one block for
many companies (one audit write per call). A company page needs four blocks at
once, and lists need them for many companies: this loader takes every (block,
company) asked in the same tick, reads the doctrine's facts through the
request's facts loader, decides each with ``graph_api.doctrine.rules.decide_block``
(the one rule) and writes all the audit entries in **one** transaction. Each
(block, company) is decided and audited once per request.

The decisions are known as soon as the facts are: ``BlockDecisions.decide_many``
hands them back with the audit write still in flight, so a guarded loader may
start reading the cleared companies' data **after the decision** and at the same
time as the audit write (one dependent round trip less on a page); it returns
the data only once the write has committed, and no data at all if it failed.
``load`` and ``load_many`` return only after the commit, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence

from strawberry.dataloader import DataLoader

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome, company_target
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.guard import block_action, company_facts
from graph_api.doctrine.rules import Decision, decide_block

Key = tuple[DataBlock, str]
Pending = tuple[Decision, "asyncio.Future[None]"]
"""A decision and the audit write that records it (done once committed)."""


def _retrieve(future: asyncio.Future[None]) -> None:
    # every caller awaits the write and gets its error; this only keeps asyncio quiet
    if not future.cancelled():
        future.exception()


def _loader(ctx: RequestContext) -> DataLoader[Key, Pending]:
    def build() -> DataLoader[Key, Pending]:
        async def load(keys: list[Key]) -> list[Pending]:
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
            # Started now, awaited by every caller before any data of these decisions
            # leaves (``BlockDecisions``): no data leaves for an unaudited decision.
            written = asyncio.ensure_future(audit.record(ctx.store, entries))
            written.add_done_callback(_retrieve)
            return [(decisions[key], written) for key in keys]

        return DataLoader(load_fn=load)

    return ctx.loader(("company", "decisions"), build)


class BlockDecisions:
    """The decisions of one block, as a loader keyed by SIREN (a view on the shared loader)."""

    def __init__(self, ctx: RequestContext, block: DataBlock) -> None:
        self._loader = _loader(ctx)
        self._block = block

    async def load(self, siren: str) -> Decision:
        """The decision for one company, once its audit entry has committed."""
        decision, written = await self._loader.load((self._block, siren))
        await asyncio.shield(written)
        return decision

    async def load_many(self, sirens: Sequence[str]) -> list[Decision]:
        """The decisions for many companies, in order, once their audit entries have committed."""
        decisions, written = await self.decide_many(sirens)
        await written
        return decisions

    async def decide_many(self, sirens: Sequence[str]) -> tuple[list[Decision], Awaitable[None]]:
        """The decisions for many companies, in order, and the wait for their audit entries' commit.

        Returns as soon as the decisions are taken, the audit write possibly still in
        flight: the caller may then read the cleared companies' data, but must await
        the second value (it raises when the write failed) before returning any of it.
        """
        pending = await self._loader.load_many([(self._block, s) for s in sirens])
        writes = list({id(w): w for _, w in pending}.values())  # usually one write per request
        return [d for d, _ in pending], _committed(writes)


async def _committed(writes: list[asyncio.Future[None]]) -> None:
    # shielded: a caller that goes away (cancelled field) does not cancel a write others wait for
    for written in writes:
        await asyncio.shield(written)
