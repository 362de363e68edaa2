"""Training on what was known at ``as_of``: fit, calibrate on a later slice, choose thresholds.

Time layout for ``as_of = T`` and ``C = calibration_months``:

- fit rows: origins in ``[T - C - history, T - C - 1]`` (every ``origin_stride``
  months), label months up to ``T - C``;
- calibration rows: origins in ``[T - C, T - L - 1]``, label months up to ``T - L``
  where ``L = label_lag_months`` (judgments arrive late: the last months would
  look event-free);
- thresholds: P12 of calibration origins whose 12 months are observed by ``T - L``.

Only judgments known by ``T`` are labels, so every label window ends by ``T``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

from scoring.config import ModelConfig, Variant
from scoring.features.catalog import GNN_FEATURES
from scoring.features.tabular import CATEGORICAL
from scoring.model.calibration import Platt
from scoring.model.hazard import design, expand, fit_booster, next_events, with_horizon
from scoring.model.predictor import HazardModel
from scoring.model.thresholds import Thresholds


@dataclass
class TrainingResult:
    """A trained model and what was learnt about it on the held-out slice."""

    model: HazardModel
    thresholds: Thresholds
    as_of: int
    variant: Variant
    metrics: dict[str, float] = field(default_factory=dict)


def _origins(frame: pd.DataFrame, first: int, last: int, stride: int) -> pd.DataFrame:
    months = frame["month"].astype(np.int64)
    keep = (months >= first) & (months <= last) & ((last - months) % stride == 0) & ~frame["in_procedure"]
    return frame[keep]


def train_from_panel(
    frame: pd.DataFrame,
    procedures: pd.DataFrame,
    as_of: int,
    features: list[str],
    config: ModelConfig,
    variant: Variant = Variant.TABULAR_GRAPH,
) -> TrainingResult:
    """Trains the hazard model on a feature panel.

    Args:
        frame: the panel (features as of each row's month).
        procedures: judgments; only those known by ``as_of`` are used as labels.
        as_of: month ordinal T.
        features: origin feature columns to use.
        config: model configuration.
        variant: recorded in the result.

    Raises:
        ValueError: no event in the fit rows.
    """
    labels = procedures[procedures["known_month"] <= as_of]
    gnn = [f for f in features if f in GNN_FEATURES]
    if gnn:
        # The GNN has no feature for the first months of the history (no label window to
        # learn from yet): a variant using it trains on the months where it has some.
        frame = frame[frame[gnn].notna().any(axis=1)]
    c = config.calibration_months
    label_end = as_of - config.label_lag_months  # recent judgments are not all known yet
    fit_last = as_of - c - 1
    fit = _origins(frame, fit_last - config.history_months + 1, fit_last, config.origin_stride)
    cal = _origins(frame, as_of - c, label_end - 1, 1)
    fit_rows = expand(
        fit["month"].to_numpy(np.int64),
        next_events(fit, labels),
        as_of - c,
        config.max_horizon,
        config.negative_rate,
        config.seed,
    )
    if fit_rows.label.sum() == 0:
        raise ValueError("no failure in the training window: cannot fit a hazard")
    categorical = [f for f in features if f in CATEGORICAL]
    categories = {col: sorted({str(v) for v in fit[col].dropna().unique()}) for col in categorical}
    x_fit = design(fit, features, categories)
    booster = fit_booster(x_fit, fit_rows, categorical, config)
    del x_fit

    cal_events = next_events(cal, labels)
    cal_rows = expand(cal["month"].to_numpy(np.int64), cal_events, label_end, config.max_horizon)
    x_cal = design(cal, features, categories)
    margin = np.asarray(booster.predict(with_horizon(x_cal, cal_rows), raw_score=True), dtype="float64")
    platt = Platt.fit(margin, cal_rows.label)
    model = HazardModel(booster, features, categories, platt, config.max_horizon, config.horizons)

    # Thresholds on the calibration origins with a fully observed 12-month window.
    window = min(12, c - config.label_lag_months)
    val_mask = cal["month"].to_numpy(np.int64) + window <= label_end
    val = cal[val_mask]
    val_events = cal_events[val_mask]
    p12 = model.predict(val)["p12"].to_numpy() if len(val) else np.zeros(0)
    y = (val_events <= val["month"].to_numpy(np.int64) + window).astype(np.int8)
    thresholds = Thresholds.choose(p12, y)
    metrics: dict[str, float] = {
        "fit_rows": float(len(fit_rows.label)),
        "fit_events": float(fit_rows.label.sum()),
        "calibration_rows": float(len(cal_rows.label)),
        "calibration_events": float(cal_rows.label.sum()),
        "platt_slope": platt.slope,
        "platt_intercept": platt.intercept,
        "validation_companies": float(len(val)),
        "validation_base_rate": float(y.mean()) if len(y) else float("nan"),
        "validation_mean_p12": float(p12.mean()) if len(p12) else float("nan"),
    }
    if len(np.unique(y)) == 2:
        metrics["validation_auc_p12"] = float(roc_auc_score(y, p12))
        metrics["validation_brier_p12"] = float(brier_score_loss(y, p12))
    return TrainingResult(model, thresholds, as_of, variant, metrics)
