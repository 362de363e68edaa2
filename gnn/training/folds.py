"""Company folds and the calendar of training origins for out-of-fold features."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date

import numpy as np

from gnn.data.months import add_months, month_index


def fold_of(siren: str, folds: int) -> int:
    """The fold of a company: a stable hash of its SIREN, the same in every run and month."""
    return zlib.crc32(siren.encode("utf-8")) % folds


def folds_of(sirens: Sequence[str], folds: int) -> np.ndarray:
    """``fold_of`` for many companies, as an int64 array."""
    return np.fromiter((fold_of(s, folds) for s in sirens), dtype=np.int64, count=len(sirens))


def origin_of(month: date, retrain_every: int) -> date:
    """The training origin serving ``month``: the latest month of a fixed calendar grid <= month.

    The grid is anchored on the calendar (months since year 0), not on the request,
    so a month's features never depend on which other months were asked for.
    """
    idx = month_index(month)
    return add_months(month, -(idx % retrain_every))


def training_months(
    origin: date, horizon_months: int, count: int, stride: int, history_start: date | None
) -> list[date]:
    """The snapshot months a model of ``origin`` trains on, oldest first.

    The latest is ``origin - horizon - 1``: its label window (t, t + horizon] ends
    the month before the origin, hence before every month the model serves. Pass
    ``GnnConfig.min_label_months`` as ``horizon_months`` for the censored scheme
    (``label_horizon`` then cuts each window at the origin).

    Args:
        origin: the training origin.
        horizon_months: label window length of the latest snapshot.
        count: at most this many months.
        stride: months between two sampled months.
        history_start: no month before this one (``None``: no bound).
    """
    last = add_months(origin, -(horizon_months + 1))
    months = [add_months(last, -k * stride) for k in range(count)]
    if history_start is not None:
        months = [m for m in months if m >= history_start]
    return sorted(months)


def label_horizon(month: date, origin: date, horizon_months: int) -> int:
    """Label window of a training snapshot: ``horizon_months``, cut at the month before ``origin``.

    The window (t, t + h] of snapshot t then ends by ``origin - 1`` whatever t.
    """
    return min(horizon_months, month_index(origin) - month_index(month) - 1)
