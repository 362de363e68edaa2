"""Which delivery brings which file: on time, late, or never (missing months)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synth.config import MessParams


@dataclass(frozen=True)
class Schedule:
    """Delivery decisions for one world.

    Attributes:
        months: number of delivered months.
        skipped: deliveries that never came (their files arrive with the next one).
        rng_seed: seed of the per-file draws.
        mess: defect rates.
    """

    months: int
    skipped: frozenset[int]
    rng_seed: int
    mess: MessParams

    @classmethod
    def draw(cls, seed: int, months: int, mess: MessParams) -> Schedule:
        """Picks the skipped deliveries."""
        rng = np.random.default_rng([seed, 81])
        pool = list(range(3, months - 2))
        k = min(mess.missing_deliveries, len(pool))
        skipped = frozenset(int(x) for x in rng.choice(pool, size=k, replace=False)) if k else frozenset()
        return cls(months, skipped, seed, mess)

    def is_stock_delivery(self, d: int, first_month: int) -> bool:
        """Full stocks come in the first delivery and at each calendar quarter end.

        Args:
            d: delivery index.
            first_month: absolute month of the first delivery.
        """
        return d == 0 or (first_month + d) % 3 == 2

    def target(self, family: str, fact_month: int, natural_lag: int = 0) -> int | None:
        """Delivery index that brings the event file of ``family`` for ``fact_month``, or None.

        Args:
            family: file family.
            fact_month: the month the facts describe (delivered-month index; negative for history).
            natural_lag: months the source always needs (consumption is known the month after).
        """
        key = sum(ord(ch) * (i + 1) for i, ch in enumerate(family))
        rng = np.random.default_rng([self.rng_seed, 82, key, fact_month + 1000])
        u = rng.uniform()
        d = max(fact_month + natural_lag, 0)
        if fact_month >= 0 and d > 0:
            if u < self.mess.missing_rate:
                return None
            if u < self.mess.missing_rate + self.mess.late_rate:
                d += int(rng.integers(1, 3))
        return self.arrival(d)

    def arrival(self, d: int) -> int | None:
        """The delivery that actually brings what was due in delivery d."""
        while d in self.skipped:
            d += 1
        return d if d < self.months else None
