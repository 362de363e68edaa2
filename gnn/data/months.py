"""Month arithmetic: a month is the ``date`` of its first day; "as of t" means its last day."""

from __future__ import annotations

import calendar
from datetime import date


def month_start(d: date) -> date:
    """The first day of the month of ``d``."""
    return date(d.year, d.month, 1)


def month_end(m: date) -> date:
    """The last day of the month of ``m``: the instant "as of month m" refers to."""
    return date(m.year, m.month, calendar.monthrange(m.year, m.month)[1])


def add_months(m: date, n: int) -> date:
    """The first day of the month ``n`` months after (``n`` < 0: before) the month of ``m``."""
    k = m.year * 12 + (m.month - 1) + n
    return date(k // 12, k % 12 + 1, 1)


def month_index(m: date) -> int:
    """Months since year 0: a calendar-anchored integer (for grids and differences)."""
    return m.year * 12 + (m.month - 1)


def parse_month(text: str) -> date:
    """Parses ``YYYY-MM`` (or ``YYYY-MM-DD``) into the first day of that month.

    Raises:
        ValueError: the text is not a month.
    """
    parts = text.strip().split("-")
    if len(parts) < 2:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(int(parts[0]), int(parts[1]), 1)
