"""A per-token rate limit: one token bucket per access token, in process memory.

In memory is enough for one API process; behind several replicas the limit is
per replica (documented in docs/api-hardening.md), which still bounds a token.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by token id.

    Args:
        per_minute: sustained requests per minute; 0 disables the limit.
        burst: requests allowed at once.
        max_keys: buckets kept (least recently used dropped first), so a flood of
            distinct tokens cannot grow memory without bound.
        clock: monotonic seconds.
    """

    def __init__(
        self, per_minute: int, burst: int, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False when the limit is switched off."""
        return self.rate > 0

    def acquire(self, key: str) -> float:
        """Takes one request from ``key``'s bucket.

        Returns:
            0 when allowed, otherwise the seconds to wait before retrying.
        """
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                b = _Bucket(self.burst, now)
                self._buckets[key] = b
                if len(self._buckets) > self.max_keys:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(key)
                b.tokens = min(self.burst, b.tokens + (now - b.updated) * self.rate)
                b.updated = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate
