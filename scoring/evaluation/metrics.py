"""Discrimination and calibration metrics on pooled out-of-time predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def safe_auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC, NaN when only one class is present."""
    return float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else float("nan")


def safe_ap(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the precision-recall curve (average precision), NaN without positives."""
    return float(average_precision_score(y, p)) if y.sum() > 0 and len(np.unique(y)) == 2 else float("nan")


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

    Args:
        frame: predictions.
        score: column ranked on.
        label: 0/1 outcome column.
        k: list size per group.
        by: grouping columns.
    """
    if frame.empty:
        return float("nan")
    top = frame.sort_values(score, ascending=False, kind="stable").groupby(list(by), sort=False).head(k)
    per_group = top.groupby(list(by))[label].mean()
    return float(per_group.mean())


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
