"""Alert thresholds chosen on validation data: F0.5 for high, F2 for moderate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.config import AlertLevel


def best_fbeta_threshold(score: np.ndarray, label: np.ndarray, beta: float) -> tuple[float, float]:
    """The threshold on ``score`` maximising F-beta of ``score >= threshold``.

    Args:
        score: predicted probabilities.
        label: 0/1 outcomes.
        beta: weight of recall relative to precision.

    Returns:
        (threshold, best F-beta); (1.0, 0.0) without any positive.
    """
    if len(score) == 0 or label.sum() == 0:
        return 1.0, 0.0
    order = np.argsort(-score, kind="stable")
    s, y = score[order], label[order].astype(float)
    tp = np.cumsum(y)
    k = np.arange(1, len(s) + 1)
    # Only the last position of each tied score is a valid cut.
    last = np.r_[s[1:] != s[:-1], True]
    precision = tp / k
    recall = tp / y.sum()
    b2 = beta * beta
    f = np.where(precision + recall > 0, (1 + b2) * precision * recall / (b2 * precision + recall + 1e-300), 0.0)
    f = np.where(last, f, -1.0)
    i = int(np.argmax(f))
    return float(s[i]), float(f[i])


@dataclass(frozen=True)
class Thresholds:
    """P12 cut-offs of the two alert levels."""

    high: float
    moderate: float

    def level(self, p12: np.ndarray) -> np.ndarray:
        """Alert level per company (``none``, ``moderate``, ``high``)."""
        return np.where(
            p12 >= self.high,
            AlertLevel.HIGH.value,
            np.where(p12 >= self.moderate, AlertLevel.MODERATE.value, AlertLevel.NONE.value),
        )

    @classmethod
    def choose(cls, p12: np.ndarray, label: np.ndarray) -> Thresholds:
        """High maximises F0.5, moderate maximises F2 (and never exceeds high).

        Args:
            p12: validation P12.
            label: failure within 12 months.
        """
        high, _ = best_fbeta_threshold(p12, label, 0.5)
        moderate, _ = best_fbeta_threshold(p12, label, 2.0)
        return cls(high=high, moderate=min(moderate, high))
