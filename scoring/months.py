"""Month arithmetic on ordinals: a month is ``year * 12 + month - 1``.

Integers make lags, windows and joins vectorised and cheap; the ``YYYY-MM``
string form is used only at the edges (CLI, Neo4j, files).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(period: str) -> int:
    """The ordinal of a ``YYYY-MM`` period.

    Args:
        period: e.g. ``2025-03``.

    Raises:
        ValueError: the text is not a valid ``YYYY-MM``.
    """
    m = _PERIOD.match(period.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"expected a period YYYY-MM, got {period!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def format_period(month: int) -> str:
    """The ``YYYY-MM`` text of a month ordinal."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def month_of(day: date) -> int:
    """The ordinal of the month a date falls in."""
    return day.year * 12 + day.month - 1


def month_end(month: int) -> date:
    """The last day of a month: facts known by this day are known "by the end of t"."""
    nxt = month + 1
    return date(nxt // 12, nxt % 12 + 1, 1) - pd.Timedelta(days=1).to_pytimedelta()


def months_of(values: pd.Series) -> pd.Series:
    """Month ordinals of a column of dates (strings, dates or timestamps); NaN stays NaN.

    Args:
        values: anything ``pd.to_datetime`` reads.
    """
    ts = pd.to_datetime(values, errors="coerce")
    out = ts.dt.year * 12 + ts.dt.month - 1
    return out.astype("Float64").astype("float64")


def month_range(start: int, end: int, step: int = 1) -> list[int]:
    """Months from ``start`` to ``end`` inclusive, every ``step``."""
    return list(np.arange(start, end + 1, step, dtype=np.int64).tolist())
