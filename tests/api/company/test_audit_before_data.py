"""A data block is read once decided, alongside its audit write, and returned only after that write
committed; none of it when the write failed (``graph_api.company.loaders``, ``company.decisions``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from graph_api.audit import service as audit_service
from graph_api.auth.principal import Principal
from graph_api.company import decisions, loaders
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.rules import Basis, Decision
from graph_api.errors import ApiError

SIREN = "123456789"


def _ctx() -> RequestContext:
    principal = Principal(
        sub="a", name="A", agency="URSSAF-21", zones=frozenset({"21"}), roles=frozenset({"score"}),
        scopes=frozenset({"signaux"}), client_id="c", token_id="t",
    )  # fmt: skip
    return RequestContext(
        request=None,  # type: ignore[arg-type]
        response=None,
        settings=None,  # type: ignore[arg-type]
        store=None,  # type: ignore[arg-type]
        measures=None,  # type: ignore[arg-type]
        request_id="req-1",
        principal=principal,
    )


class _World:
    """Facts that allow the block, an audit write held open, a data read that records its start."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, allowed: bool = True) -> None:
        self.commit = asyncio.Event()
        self.fail = False
        self.committed = False
        self.read_started = asyncio.Event()
        self.audit_calls = 0

        async def facts(_: RequestContext, sirens: Sequence[str]) -> list[Any]:
            return []

        def decide(*_: Any) -> Decision:
            return Decision(allowed=allowed, in_zone=True, basis=Basis.FOLLOW if allowed else None)

        async def record(_: Any, entries: Sequence[Any]) -> None:
            self.audit_calls += 1
            await self.commit.wait()
            if self.fail:
                raise ConnectionError("audit write failed")
            self.committed = True

        async def scores(_: RequestContext, sirens: Sequence[str]) -> dict[str, dict[str, Any]]:
            self.read_started.set()
            return {s: {"scores": [{"period": "2025-12"}]} for s in sirens}

        monkeypatch.setattr(decisions, "company_facts", facts)
        monkeypatch.setattr(decisions, "decide_block", decide)
        monkeypatch.setattr(audit_service, "record", record)
        monkeypatch.setitem(loaders.FETCHERS, DataBlock.SCORES, scores)


def test_the_data_is_read_during_the_audit_write_and_returned_after_its_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        world = _World(monkeypatch)
        ctx = _ctx()
        load = asyncio.ensure_future(loaders.block_loader(ctx, DataBlock.SCORES).load(SIREN))
        await asyncio.wait_for(world.read_started.wait(), 5)  # read once decided, write still open
        for _ in range(10):
            await asyncio.sleep(0)
        assert not load.done()  # nothing returned before the audit entry committed
        world.commit.set()
        data = await load
        assert world.committed
        assert data == {"scores": [{"period": "2025-12"}]}
        assert world.audit_calls == 1

    asyncio.run(scenario())


def test_a_failed_audit_write_returns_no_data(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        world = _World(monkeypatch)
        world.fail = True
        ctx = _ctx()
        load = asyncio.ensure_future(loaders.block_loader(ctx, DataBlock.SCORES).load(SIREN))
        await asyncio.wait_for(world.read_started.wait(), 5)
        world.commit.set()
        with pytest.raises(ConnectionError):
            await load
        # and the decision itself is not handed out either, to anyone asking after
        with pytest.raises(ConnectionError):
            await loaders.decision_loader(ctx, DataBlock.SCORES).load(SIREN)

    asyncio.run(scenario())


def test_a_refused_block_reads_nothing_and_waits_for_its_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        world = _World(monkeypatch, allowed=False)
        ctx = _ctx()
        load = asyncio.ensure_future(loaders.block_loader(ctx, DataBlock.SCORES).load(SIREN))
        for _ in range(10):
            await asyncio.sleep(0)
        assert not load.done()  # the refusal too is recorded before it is answered
        world.commit.set()
        with pytest.raises(ApiError):
            await load
        assert world.committed
        assert not world.read_started.is_set()

    asyncio.run(scenario())
