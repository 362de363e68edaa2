"""Bootstrap confidence intervals clustered by company.

Rows of one company at several origins are correlated; resampling companies
(with all their rows) keeps that dependence. Variants are compared on the same
resamples (paired), so the interval of a difference is narrower and honest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

Metric = Callable[[pd.DataFrame], float]


@dataclass(frozen=True)
class Interval:
    """A point estimate and its percentile interval."""

    estimate: float
    low: float
    high: float

    @property
    def significant_gain(self) -> bool:
        """The interval lies above zero (for a difference)."""
        return bool(self.low > 0)

    def fmt(self, digits: int = 3) -> str:
        """``est [low, high]`` text."""
        return f"{self.estimate:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


class _Resampler:
    """Draws clustered resamples of the rows; the clusters are sorted once, not per draw."""

    def __init__(self, clusters: np.ndarray) -> None:
        uniq, inverse = np.unique(clusters, return_inverse=True)
        self.n = len(uniq)
        self.members = np.argsort(inverse, kind="stable")
        self.counts = np.bincount(inverse, minlength=self.n)
        self.starts = np.r_[0, np.cumsum(self.counts)[:-1]]

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """Row indices of one resample: every row of each drawn company."""
        draw = rng.integers(0, self.n, self.n)
        if not len(draw):
            return self.members
        lengths = self.counts[draw]
        first = np.repeat(self.starts[draw] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        out: np.ndarray = self.members[first + np.arange(int(lengths.sum()))]
        return out


def _resample_index(clusters: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _Resampler(clusters).draw(rng)


def clustered_bootstrap(
    frames: dict[str, pd.DataFrame],
    metric: Metric,
    cluster: str = "siren",
    n_boot: int = 200,
    seed: int = 0,
    alpha: float = 0.05,
) -> dict[str, Interval]:
    """Intervals of a metric for several aligned frames (one per variant), paired resamples.

    Args:
        frames: variant -> predictions; all frames have the same rows in the same order.
        metric: computes a number from a frame.
        cluster: the column resampled as a unit.
        n_boot: resamples.
        seed: random seed.
        alpha: 1 - confidence level.
    """
    names = list(frames)
    if not names:
        return {}
    resampler = _Resampler(frames[names[0]][cluster].to_numpy())
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(n_boot):
        idx = resampler.draw(rng)
        for n in names:
            draws[n].append(metric(frames[n].iloc[idx]))
    out = {}
    for n in names:
        vals = np.array(draws[n], dtype=float)
        vals = vals[~np.isnan(vals)]
        est = metric(frames[n])
        lo, hi = np.quantile(vals, [alpha / 2, 1 - alpha / 2]) if len(vals) else (np.nan, np.nan)
        out[n] = Interval(est, float(lo), float(hi))
    return out


def paired_difference(
    a: pd.DataFrame,
    b: pd.DataFrame,
    metric: Metric,
    cluster: str = "siren",
    n_boot: int = 200,
    seed: int = 0,
    alpha: float = 0.05,
) -> Interval:
    """Interval of ``metric(b) - metric(a)`` on paired company resamples.

    Args:
        a: baseline predictions.
        b: challenger predictions (same rows, same order).
        metric: computes a number from a frame.
        cluster: the column resampled as a unit.
        n_boot: resamples.
        seed: random seed.
        alpha: 1 - confidence level.
    """
    resampler = _Resampler(a[cluster].to_numpy())
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(n_boot):
        idx = resampler.draw(rng)
        diffs.append(metric(b.iloc[idx]) - metric(a.iloc[idx]))
    vals = np.array(diffs, dtype=float)
    vals = vals[~np.isnan(vals)]
    est = metric(b) - metric(a)
    lo, hi = np.quantile(vals, [alpha / 2, 1 - alpha / 2]) if len(vals) else (np.nan, np.nan)
    return Interval(float(est), float(lo), float(hi))
