"""Discrimination and calibration metrics on pooled out-of-time predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.metrics import brier_score_loss


def safe_auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC (Mann-Whitney, ties counted half, as ``roc_auc_score``), NaN when only one class is present.

    Computed from ranks: the bootstrap calls it thousands of times and sklearn's
    validation cost more than the statistic.
    """
    y = np.asarray(y)
    positives = y > 0
    n1 = int(positives.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(np.asarray(p, dtype=np.float64))
    return float((ranks[positives].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def safe_ap(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the precision-recall curve (average precision), NaN without positives.

    The step sum of ``average_precision_score`` (one step per distinct score), in numpy.
    """
    y = np.asarray(y, dtype=np.float64)
    n1 = y.sum()
    if n1 <= 0 or n1 == len(y):
        return float("nan")
    order = np.argsort(-np.asarray(p, dtype=np.float64), kind="stable")
    scores, ys = np.asarray(p, dtype=np.float64)[order], y[order]
    ends = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tp = np.cumsum(ys)[ends]
    fp = ends + 1 - tp
    precision = tp / (tp + fp)
    recall_step = np.diff(np.r_[0.0, tp]) / n1
    return float(np.sum(recall_step * precision))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    """Brier score, NaN on an empty sample."""
    return float(brier_score_loss(y, p)) if len(y) else float("nan")


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Reliability table on quantile bins of the prediction.

    Returns:
        bin, n, mean_predicted, observed_rate.
    """
    if len(p) == 0:
        return pd.DataFrame(columns=["bin", "n", "mean_predicted", "observed_rate"])
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    df = pd.DataFrame({"bin": idx, "p": p, "y": y})
    out = df.groupby("bin").agg(n=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean"))
    return out.reset_index()


def precision_at_k(frame: pd.DataFrame, score: str, label: str, k: int, by: tuple[str, ...]) -> float:
    """Mean precision of the ``k`` best-ranked companies per group (e.g. region and month).

    Ties keep the frame's order (a stable sort), as a sort on the score then a
    per-group head would.

    Args:
        frame: predictions.
        score: column ranked on.
        label: 0/1 outcome column.
        k: list size per group.
        by: grouping columns.
    """
    if frame.empty:
        return float("nan")
    groups = frame.groupby(list(by), sort=True).ngroup().to_numpy() if by else np.zeros(len(frame), dtype=np.int64)
    p = frame[score].to_numpy(dtype=np.float64)
    y = frame[label].to_numpy(dtype=np.float64)
    order = np.lexsort((-p, groups))
    g = groups[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.r_[start, len(g)]))
    top = rank < k
    hits = np.bincount(g[top], weights=y[order][top])
    sizes = np.bincount(g[top])
    present = sizes > 0
    return float(np.mean(hits[present] / sizes[present]))


def lift_curve(y: np.ndarray, p: np.ndarray, points: int = 50) -> pd.DataFrame:
    """Cumulative lift: observed rate in the top fraction over the base rate.

    Returns:
        fraction, lift.
    """
    order = np.argsort(-p, kind="stable")
    ys = y[order]
    base = ys.mean() if len(ys) else float("nan")
    fractions = np.linspace(0.01, 1.0, points)
    lifts = []
    for f in fractions:
        n = max(1, round(float(f) * len(ys)))
        lifts.append(ys[:n].mean() / base if base > 0 else float("nan"))
    return pd.DataFrame({"fraction": fractions, "lift": lifts})


def summary(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """AUC, AUC-PR, base rate, Brier score and mean prediction of one sample."""
    return {
        "n": float(len(y)),
        "events": float(y.sum()),
        "base_rate": float(y.mean()) if len(y) else float("nan"),
        "mean_p": float(p.mean()) if len(p) else float("nan"),
        "auc": safe_auc(y, p),
        "auc_pr": safe_ap(y, p),
        "brier": brier(y, p),
    }
