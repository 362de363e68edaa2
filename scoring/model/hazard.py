"""Discrete-time hazard rows and the LightGBM hazard model.

Design (docs/model.md): features are held at the origin month ``t`` and the
horizon ``k`` (months after ``t``) is a feature. A row ``(company, t, k)`` exists
while the company has not failed before ``t + k``; its label says whether the
opening judgment falls in month ``t + k``. The model estimates the monthly hazard
``h(k | x_t)``; the probability of failing within ``H`` months is
``1 - prod_{k<=H} (1 - h(k | x_t))``, so ``P12 <= P18 <= P24`` by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd

from scoring.config import ModelConfig
from scoring.features.catalog import HORIZON_FEATURE
from scoring.perimeter import openings


def next_events(origins: pd.DataFrame, procedures: pd.DataFrame) -> np.ndarray:
    """Month of the first opening strictly after each origin row's month (NaN when none).

    Args:
        origins: rows with siren and month.
        procedures: the judgments allowed as labels (already cut at the label horizon).
    """
    opens = openings(procedures)[["siren", "judgment_month"]].rename(columns={"judgment_month": "event"})
    if opens.empty:
        return np.full(len(origins), np.nan)
    left = origins[["siren", "month"]].reset_index(drop=True).reset_index().rename(columns={"index": "_row"})
    # Both sides as the same text dtype: merge_asof refuses object against string.
    left["siren"] = left["siren"].astype(str)
    opens = opens.assign(siren=opens["siren"].astype(str))
    left["key"] = left["month"].astype(np.int64) + 1
    right = opens.assign(key=opens["event"].astype(np.int64))
    merged = pd.merge_asof(
        left.sort_values("key"),
        right.sort_values("key")[["siren", "key", "event"]],
        on="key",
        by="siren",
        direction="forward",
    )
    return merged.set_index("_row")["event"].reindex(left["_row"]).to_numpy(dtype="float64")


@dataclass(frozen=True)
class HazardRows:
    """Indexes of person-period rows into an origin frame.

    Attributes:
        origin: position of the origin row in the origin frame.
        horizon: months after the origin (1..max_horizon).
        label: 1 when the opening judgment falls in that month.
        weight: inverse of the sampling rate of the row.
    """

    origin: np.ndarray
    horizon: np.ndarray
    label: np.ndarray
    weight: np.ndarray


def expand(
    origin_months: np.ndarray,
    events: np.ndarray,
    label_cut: int,
    max_horizon: int,
    negative_rate: float = 1.0,
    seed: int = 0,
) -> HazardRows:
    """Person-period rows of origins whose label months end by ``label_cut``.

    Args:
        origin_months: month of each origin row.
        events: next opening month of each origin row (NaN when none known).
        label_cut: last month whose outcome may be used.
        max_horizon: months expanded per origin.
        negative_rate: share of non-event rows kept (events are all kept).
        seed: sampling seed.
    """
    n = len(origin_months)
    k = np.tile(np.arange(1, max_horizon + 1), n)
    o = np.repeat(np.arange(n), max_horizon)
    month = origin_months[o] + k
    ev = events[o]
    at_risk = (month <= label_cut) & ~(month > ev)  # rows stop after the event month
    label = (month == ev) & at_risk
    keep = at_risk.copy()
    weight = np.ones(len(k))
    if negative_rate < 1.0:
        rng = np.random.default_rng(seed)
        drop = ~label & (rng.random(len(k)) >= negative_rate)
        keep &= ~drop
        weight = np.where(label, 1.0, 1.0 / negative_rate)
    return HazardRows(o[keep], k[keep], label[keep].astype(np.int8), weight[keep])


def design(frame: pd.DataFrame, features: list[str], categories: dict[str, list[str]]) -> pd.DataFrame:
    """The numeric design matrix: categoricals as stable integer codes (unknown -> NaN).

    Args:
        frame: panel rows.
        features: feature columns, in model order.
        categories: levels of each categorical feature, fixed at training.
    """
    out = pd.DataFrame(index=frame.index)
    for col in features:
        if col in categories:
            codes = pd.Categorical(frame[col].astype("object"), categories=categories[col]).codes
            out[col] = np.where(codes < 0, np.nan, codes).astype("float64")
        else:
            out[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return out


def with_horizon(x: pd.DataFrame, rows: HazardRows) -> pd.DataFrame:
    """Design rows of the hazard: origin features repeated per horizon, plus the horizon."""
    out = x.iloc[rows.origin].reset_index(drop=True)
    out[HORIZON_FEATURE] = rows.horizon.astype("float64")
    return out


def fit_booster(x: pd.DataFrame, rows: HazardRows, categorical: list[str], config: ModelConfig) -> lgb.Booster:
    """Fits the LightGBM hazard on expanded rows.

    Args:
        x: design matrix of the origins.
        rows: the person-period rows.
        categorical: categorical columns of ``x``.
        config: boosting parameters.
    """
    data = with_horizon(x, rows)
    params = {
        "objective": "binary",
        "learning_rate": config.learning_rate,
        "num_leaves": config.num_leaves,
        "min_data_in_leaf": config.min_data_in_leaf,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "cat_smooth": 20.0,
        "num_threads": config.threads,
        "seed": config.seed,
        "deterministic": True,
        "verbose": -1,
    }
    ds = lgb.Dataset(data, label=rows.label, weight=rows.weight, categorical_feature=categorical, free_raw_data=True)
    return lgb.train(params, ds, num_boost_round=config.num_boost_round)


def raw_hazards(booster: lgb.Booster, x: pd.DataFrame, max_horizon: int) -> np.ndarray:
    """Uncalibrated log-odds of the monthly hazard for k = 1..max_horizon, shape (n, max_horizon)."""
    n = len(x)
    rows = HazardRows(
        np.repeat(np.arange(n), max_horizon),
        np.tile(np.arange(1, max_horizon + 1), n),
        np.zeros(n * max_horizon, dtype=np.int8),
        np.ones(n * max_horizon),
    )
    margin = booster.predict(with_horizon(x, rows), raw_score=True)
    return np.asarray(margin, dtype="float64").reshape(n, max_horizon)


def cumulative(hazards: np.ndarray, horizons: tuple[int, ...]) -> np.ndarray:
    """P(event within H) = 1 - prod_{k<=H}(1 - h_k) for each H; columns in ``horizons`` order."""
    survival = np.cumprod(1.0 - hazards, axis=1)
    return np.column_stack([1.0 - survival[:, h - 1] for h in horizons])
