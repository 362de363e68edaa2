"""Group commit (``graph_api.batching``): what a request waiting on a shared batch is promised.

The revocation checks and audit appends of concurrent requests share
transactions; these tests hold the guarantees that make that safe: a batch only
takes items submitted before it started (a check is never answered by a read
older than the request), a submitter returns only after its own batch finished,
and a failed batch fails every one of its submitters.
"""

from __future__ import annotations

import asyncio

import pytest

from graph_api.batching import Coalescer
from graph_api.hardening.document_cache import DocumentCache


async def _settle() -> None:
    """Lets every ready task run (submitters, then the batch they start)."""
    for _ in range(10):
        await asyncio.sleep(0)


class _Recorder:
    """A batch runner that records its batches and can be held open."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.fail = False

    async def run(self, items: list[int]) -> list[int]:
        self.batches.append(list(items))
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("the transaction failed")
        return [i * 10 for i in items]


def test_items_submitted_during_a_batch_go_to_a_later_one() -> None:
    async def scenario() -> None:
        rec = _Recorder()
        c: Coalescer[int, int] = Coalescer(rec.run, in_flight=1)
        first = asyncio.ensure_future(c.submit(1))
        await _settle()
        assert rec.batches == [[1]]  # alone: runs at once
        later = [asyncio.ensure_future(c.submit(i)) for i in (2, 3)]
        await _settle()
        assert rec.batches == [[1]]  # 2 and 3 did not join the batch already running
        assert not first.done()  # nobody returns before its batch finished
        rec.gate.set()
        assert await first == 10
        assert await asyncio.gather(*later) == [20, 30]
        assert rec.batches == [[1], [2, 3]]  # and they shared the next one

    asyncio.run(scenario())


def test_a_failed_batch_fails_each_of_its_submitters() -> None:
    async def scenario() -> None:
        rec = _Recorder()
        rec.fail = True
        rec.gate.set()
        c: Coalescer[int, int] = Coalescer(rec.run)
        results = await asyncio.gather(c.submit(1), c.submit(2), return_exceptions=True)
        assert all(isinstance(r, RuntimeError) for r in results)
        rec.fail = False
        assert await c.submit(3) == 30  # the next batch is unaffected

    asyncio.run(scenario())


def test_a_cancelled_submitter_does_not_hold_the_others() -> None:
    async def scenario() -> None:
        rec = _Recorder()
        c: Coalescer[int, int] = Coalescer(rec.run, in_flight=1)
        first = asyncio.ensure_future(c.submit(1))
        await _settle()
        gone = asyncio.ensure_future(c.submit(2))
        kept = asyncio.ensure_future(c.submit(3))
        await _settle()
        gone.cancel()
        rec.gate.set()
        assert await first == 10
        assert await kept == 30
        assert rec.batches == [[1], [3]]
        with pytest.raises(asyncio.CancelledError):
            await gone

    asyncio.run(scenario())


def test_the_document_cache_keeps_only_bounded_valid_texts() -> None:
    from graphql import parse

    cache = DocumentCache(maxsize=2, max_chars=50)
    doc = parse("{ a }")
    cache.put("{ a }", doc)
    assert cache.get("{ a }") is doc
    cache.put("{ b }", parse("{ b }"))
    cache.put("{ c }", parse("{ c }"))
    assert cache.get("{ a }") is None  # least recently used, evicted
    cache.put("{ " + "x " * 40 + "}", parse("{ x }"))
    assert cache.get("{ " + "x " * 40 + "}") is None  # too long to be kept
