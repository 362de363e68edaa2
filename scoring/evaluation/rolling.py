"""Rolling-origin evaluation: retrain at each test origin, test on the months after it.

For a test origin ``o`` every variant is trained with ``as_of = o``: its labels
are judgments known by ``o`` and its label windows end by ``o`` (the fit window
even ends ``calibration_months`` earlier). The test rows are the companies of the
perimeter at ``o`` (not in a procedure), with features as of ``o`` and outcomes
from everything known at the end of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.config import ScoringConfig, Variant
from scoring.features.builder import Panel, build_panel
from scoring.features.catalog import GNN_FEATURES, variant_features
from scoring.features.inputs import FeatureInputs
from scoring.model.hazard import next_events
from scoring.model.train import train_from_panel

HORIZONS: tuple[int, ...] = (12, 18, 24)


@dataclass(frozen=True)
class EvaluationConfig:
    """How the evaluation samples origins and compares variants.

    Attributes:
        n_origins: test origins, the latest ones whose 12-month outcome is observed.
        origin_step: months between two test origins.
        variants: the feature sets compared.
        top_k: list size per region and month for precision at k.
        n_boot: bootstrap resamples.
        seed: bootstrap seed.
        aligned_training: every variant trains on the same company-months, those
            where all compared variants have their features (see ``training_rows``).
    """

    n_origins: int = 4
    origin_step: int = 3
    variants: tuple[Variant, ...] = tuple(Variant)
    top_k: int = 5
    n_boot: int = 200
    seed: int = 0
    aligned_training: bool = False


@dataclass
class EvaluationResult:
    """Pooled out-of-time predictions of every variant, and what could not be run."""

    predictions: pd.DataFrame
    origins: list[int]
    last_month: int
    skipped: dict[str, str] = field(default_factory=dict)
    training: list[dict[str, float | str]] = field(default_factory=list)

    def variant(self, v: Variant) -> pd.DataFrame:
        """Predictions of one variant, in a stable row order (siren, origin)."""
        p = self.predictions
        out: pd.DataFrame = p[p["variant"] == v.value].sort_values(["origin", "siren"]).reset_index(drop=True)
        return out

    @property
    def variants(self) -> list[Variant]:
        """Variants with predictions."""
        present = set(self.predictions["variant"].unique()) if not self.predictions.empty else set()
        return [v for v in Variant if v.value in present]


def choose_origins(first_month: int, last_month: int, cfg: ScoringConfig, ecfg: EvaluationConfig) -> list[int]:
    """The test origins: latest first with a full 12-month outcome, going back ``origin_step``.

    Origins too early to leave a training window are dropped.
    """
    latest = last_month - 12
    earliest = first_month + cfg.model.calibration_months + 12
    origins = [latest - i * ecfg.origin_step for i in range(ecfg.n_origins)]
    return sorted(o for o in origins if o >= earliest)


def training_rows(frame: pd.DataFrame, variants: list[Variant], aligned: bool) -> pd.Series:
    """The panel rows the variants may train on (a boolean mask over ``frame``).

    Without ``aligned`` every row (each variant then applies its own rule: a GNN
    variant keeps the rows with some GNN feature). With ``aligned`` the rows where
    every variant of ``variants`` has its features: if one of them uses the GNN
    features, the rows with some GNN feature, the same rule as ``train_from_panel``.
    """
    mask = pd.Series(True, index=frame.index)
    if not aligned:
        return mask
    gnn = [f for f in GNN_FEATURES if f in frame.columns]
    if gnn and any(v in (Variant.GNN_ONLY, Variant.TABULAR_GRAPH_GNN) for v in variants):
        mask &= frame[gnn].notna().any(axis=1)
    return mask


def _test_rows(panel: Panel, procedures: pd.DataFrame, origin: int, last: int) -> pd.DataFrame:
    f = panel.frame
    rows = f[(f["month"] == origin) & ~f["in_procedure"]].copy()
    events = next_events(rows, procedures[procedures["known_month"] <= last])
    for h in HORIZONS:
        rows[f"y{h}"] = (events <= origin + h).astype(np.int8)
        rows[f"observed{h}"] = origin + h <= last
    return rows


def evaluate(
    inputs: FeatureInputs,
    config: ScoringConfig | None = None,
    ecfg: EvaluationConfig | None = None,
    gnn: pd.DataFrame | None = None,
) -> EvaluationResult:
    """Runs the rolling-origin evaluation of every variant.

    Args:
        inputs: all facts (the end of the data bounds the outcomes).
        config: pipeline configuration.
        ecfg: evaluation configuration.
        gnn: optional GNN features (siren, month ordinal, gnn_* columns).
    """
    cfg = config or ScoringConfig()
    ecfg = ecfg or EvaluationConfig()
    first = int(inputs.monthly["month"].min())
    last = inputs.last_month
    origins = choose_origins(first, last, cfg, ecfg)
    if not origins:
        raise ValueError("not enough months of data for a rolling evaluation")
    mc = cfg.model
    start = max(first + 1, origins[0] - mc.calibration_months - mc.history_months)
    panel = build_panel(inputs, range(start, origins[-1] + 1), cfg.perimeter, gnn)
    has_gnn = bool(panel.frame[list(GNN_FEATURES)].notna().any().any())
    skipped: dict[str, str] = {}
    parts: list[pd.DataFrame] = []
    training: list[dict[str, float | str]] = []
    run: list[Variant] = []
    for v in ecfg.variants:
        if v in (Variant.GNN_ONLY, Variant.TABULAR_GRAPH_GNN) and not has_gnn:
            skipped[v.value] = "GNN features not available for these months"
        else:
            run.append(v)
    trainable = panel.frame[training_rows(panel.frame, run, ecfg.aligned_training)]
    for v in run:
        features = variant_features(panel.feature_columns, v)
        for o in origins:
            past = trainable[trainable["month"] < o]
            try:
                res = train_from_panel(past, inputs.procedures, o, features, mc, v)
            except ValueError as exc:
                skipped[f"{v.value}@{o}"] = str(exc)
                continue
            test = _test_rows(panel, inputs.procedures, o, last)
            probs = res.model.predict(test)
            outcome = [f"y{h}" for h in HORIZONS] + [f"observed{h}" for h in HORIZONS]
            out = test[["siren", "month", "region", "exposed", *outcome]]
            out = out.rename(columns={"month": "origin"}).assign(variant=v.value)
            for col in probs.columns:
                out[col] = probs[col].to_numpy()
            parts.append(out)
            training.append({"variant": v.value, "origin": o, **res.metrics})
    predictions = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return EvaluationResult(predictions, origins, last, skipped, training)
