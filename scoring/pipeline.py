"""The public train and score entry points, from the graph and the measure store.

``train(as_of)`` reads only what was known by the end of ``as_of`` and saves a
versioned model; ``score(period)`` applies the latest model trained as of
``period`` or earlier, writes the scores, the detection list and optionally a CSV.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graphstore.measures import MeasureStore
from graphstore.store import GraphStore
from scoring.alerts.detection import detection_list, write_alerts
from scoring.alerts.scores import score_panel, write_csv, write_scores
from scoring.config import ScoringConfig, Variant
from scoring.features.builder import build_month, build_panel
from scoring.features.catalog import GNN_FEATURES, variant_features
from scoring.features.inputs import FeatureInputs
from scoring.features.sources import data_months, load_inputs
from scoring.gnn_bridge import gnn_features
from scoring.model import registry
from scoring.model.train import train_from_panel
from scoring.months import format_period, parse_period

FEATURE_HISTORY = 36  # months of measures before the first origin (perimeter look-back)


def load_facts(
    store: GraphStore, ms: MeasureStore, first: int, last: int, last_depth: int | None = None
) -> FeatureInputs:
    """Facts of delivery months ``first .. last`` (clipped to the data available)."""
    lo, hi = data_months(ms)
    return load_inputs(store, ms, max(first, lo), min(last, hi), last_depth)


def default_variant(gnn: pd.DataFrame | None) -> Variant:
    """Tabular + graph, plus the GNN features when they are available."""
    return Variant.TABULAR_GRAPH_GNN if gnn is not None and not gnn.empty else Variant.TABULAR_GRAPH


@dataclass
class TrainSummary:
    """What ``train`` did."""

    version: str
    seconds: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


def train(
    as_of: str,
    store: GraphStore,
    ms: MeasureStore,
    data_dir: Path,
    config: ScoringConfig | None = None,
    variant: Variant | None = None,
    inputs: FeatureInputs | None = None,
    use_gnn: bool = True,
) -> TrainSummary:
    """Trains on what was known at ``as_of`` and saves a new model version.

    Args:
        as_of: ``YYYY-MM``.
        store: the graph.
        ms: the measure store.
        data_dir: where ``models/`` lives.
        config: the configuration (defaults otherwise).
        variant: feature set; tabular + graph (+ GNN when available) by default.
        inputs: facts already loaded (benchmarks, tests); read from the stores otherwise.
        use_gnn: ask the GNN package for its features (skipped when unavailable).
    """
    cfg = config or ScoringConfig()
    t = parse_period(as_of)
    mc = cfg.model
    first_origin = t - mc.calibration_months - mc.history_months
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    facts = inputs if inputs is not None else load_facts(store, ms, first_origin - FEATURE_HISTORY, t)
    facts = facts.known_by(t)
    seconds["load"] = time.monotonic() - t0
    t0 = time.monotonic()
    months = range(max(first_origin, int(facts.monthly["month"].min()) + 1), t)
    gnn = gnn_features(store, list(months)) if use_gnn else None
    panel = build_panel(facts, months, cfg.perimeter, gnn)
    seconds["features"] = time.monotonic() - t0
    t0 = time.monotonic()
    v = variant or default_variant(gnn)
    result = train_from_panel(panel.frame, facts.procedures, t, variant_features(panel.feature_columns, v), mc, v)
    seconds["fit"] = time.monotonic() - t0
    version = registry.save(
        result,
        data_dir,
        extra={"training_months": [format_period(months.start), format_period(months.stop - 1)], "seconds": seconds},
    )
    return TrainSummary(version, seconds, result.metrics)


@dataclass
class ScoreSummary:
    """What ``score`` did."""

    version: str
    scores: pd.DataFrame
    listed: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


def score(
    period: str,
    store: GraphStore,
    ms: MeasureStore,
    data_dir: Path,
    config: ScoringConfig | None = None,
    version: str | None = None,
    out: Path | None = None,
    inputs: FeatureInputs | None = None,
) -> ScoreSummary:
    """Scores every company of the perimeter at ``period`` and publishes the detection list.

    Args:
        period: ``YYYY-MM``.
        store: the graph.
        ms: the measure store.
        data_dir: where ``models/`` lives.
        config: the configuration.
        version: model version; the latest trained as of ``period`` or earlier by default.
        out: optional CSV path.
        inputs: facts already loaded; read from the stores otherwise.
    """
    cfg = config or ScoringConfig()
    t = parse_period(period)
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    ver = version or registry.latest_for(data_dir, t)
    model, thresholds, _ = registry.load(data_dir, ver)
    # One vintage of the whole history as known at t: 37 monthly re-reads would cost
    # most of the scoring time for the same as-of values up to late corrections.
    facts = inputs if inputs is not None else load_facts(store, ms, t, t, FEATURE_HISTORY + 1)
    seconds["load"] = time.monotonic() - t0
    t0 = time.monotonic()
    gnn = gnn_features(store, [t]) if any(f in GNN_FEATURES for f in model.features) else None
    panel = build_month(facts, t, cfg.perimeter, gnn)
    seconds["features"] = time.monotonic() - t0
    t0 = time.monotonic()
    scores = score_panel(model, thresholds, panel, ver)
    seconds["predict"] = time.monotonic() - t0
    t0 = time.monotonic()
    write_scores(store, scores)
    listed = detection_list(store, scores, period, cfg.alerts)
    write_alerts(store, listed)
    if out is not None:
        write_csv(scores, out)
    seconds["write"] = time.monotonic() - t0
    return ScoreSummary(ver, scores, listed, seconds)
