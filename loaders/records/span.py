"""Spans of months: what an URSSAF period covers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """An inclusive range of months, each given by the date of its first day.

    Attributes:
        first: first month (day 1).
        last: last month (day 1); equals ``first`` for a single month.
    """

    first: date
    last: date

    @property
    def is_month(self) -> bool:
        """True when the span is a single month."""
        return self.first == self.last

    @property
    def count(self) -> int:
        """Number of months in the span."""
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def months(self) -> Iterator[date]:
        """The months of the span, in order."""
        y, m = self.first.year, self.first.month
        for _ in range(self.count):
            yield date(y, m, 1)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
