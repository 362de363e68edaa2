"""Reads the data blocks kept in the measure store (URSSAF, headcount, short-time work, BdF).

DuckDB is synchronous, so the readers run in worker threads; the per-company
readers of ``graphstore.measures`` are called once per cleared company, spread
over at most ``PARALLEL_READS`` threads per block and batch.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from graphstore import measures as m

Rows = list[dict[str, Any]]


def _rows(df: pd.DataFrame) -> Rows:
    out: Rows = []
    for rec in df.to_dict(orient="records"):
        out.append({str(k): _clean(v) for k, v in rec.items()})
    return out


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Timestamp | datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NaT:
        return None
    if hasattr(v, "item"):  # numpy scalars
        return _clean(v.item())
    return v


def _urssaf(store: m.MeasureStore, siren: str) -> dict[str, Rows]:
    return {
        "debts": _rows(m.debt_series(siren, store=store)),
        "contributions": _rows(m.contributions_series(siren, store=store)),
    }


def _short_time_work(store: m.MeasureStore, siren: str) -> dict[str, Rows]:
    return {"months": _rows(m.short_time_work(siren, store=store))}


def _bdf(store: m.MeasureStore, siren: str) -> dict[str, Rows]:
    return {"ratios": _rows(m.bdf_ratios(siren, store=store))}


def _headcount(store: m.MeasureStore, siren: str) -> dict[str, Rows]:
    return {"months": _rows(m.headcount_series(siren, store=store))}


PARALLEL_READS = 4
"""Companies of one batch read at once per block (each read is its own DuckDB cursor)."""


async def _many(
    store: m.MeasureStore, sirens: Sequence[str], read: Callable[[m.MeasureStore, str], dict[str, Rows]]
) -> dict[str, dict[str, Rows]]:
    # A list of companies should not wait for one read after another; a bound keeps a
    # long list from occupying every worker thread of the event loop.
    def work(chunk: Sequence[str]) -> dict[str, dict[str, Rows]]:
        return {s: read(store, s) for s in chunk}

    if not sirens:
        return {}
    chunks = [sirens[i::PARALLEL_READS] for i in range(min(PARALLEL_READS, len(sirens)))]
    out: dict[str, dict[str, Rows]] = {}
    for part in await asyncio.gather(*(asyncio.to_thread(work, c) for c in chunks)):
        out.update(part)
    return out


async def urssaf(store: m.MeasureStore, sirens: Sequence[str]) -> dict[str, dict[str, Rows]]:
    """Debts by month and contributions of each company."""
    return await _many(store, sirens, _urssaf)


async def short_time_work(store: m.MeasureStore, sirens: Sequence[str]) -> dict[str, dict[str, Rows]]:
    """Short-time work by month of each company."""
    return await _many(store, sirens, _short_time_work)


async def bdf(store: m.MeasureStore, sirens: Sequence[str]) -> dict[str, dict[str, Rows]]:
    """Banque de France ratios (one row per balance sheet) of each company."""
    return await _many(store, sirens, _bdf)


async def headcount(store: m.MeasureStore, sirens: Sequence[str]) -> dict[str, dict[str, Rows]]:
    """Monthly headcount of each company (company-level file, else the sum of its establishments)."""
    return await _many(store, sirens, _headcount)
