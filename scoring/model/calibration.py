"""Platt scaling of the monthly hazard, fitted on a later time slice.

Calibrating the *monthly hazard* with an increasing map keeps every hazard in
(0, 1), so the cumulative probabilities stay ordered (P12 <= P18 <= P24); an
isotonic fit per horizon would not guarantee that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression


@dataclass(frozen=True)
class Platt:
    """``h = sigmoid(slope * margin + intercept)`` on the booster's raw margin."""

    slope: float = 1.0
    intercept: float = 0.0

    def apply(self, margin: np.ndarray) -> np.ndarray:
        """Calibrated hazards of raw margins."""
        z = np.clip(self.slope * margin + self.intercept, -40.0, 40.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype="float64")

    @classmethod
    def fit(cls, margin: np.ndarray, label: np.ndarray) -> Platt:
        """Fits on calibration rows; identity when a class is missing.

        Args:
            margin: raw margins of the calibration hazard rows.
            label: their outcomes.
        """
        if label.min(initial=0) == label.max(initial=0) or len(np.unique(label)) < 2:
            return cls()
        lr = LogisticRegression(C=1e4, max_iter=1000)
        lr.fit(margin.reshape(-1, 1), label)
        slope = float(lr.coef_[0, 0])
        # A non-increasing map would invert the ranking: keep the booster's order.
        if slope <= 0:
            return cls()
        return cls(slope, float(lr.intercept_[0]))
