"""Out-of-fold contagion features: K models per training origin, each blind to one fold.

For a month m the features of a company in fold k come from the model of origin
``origin_of(m)`` trained on every fold but k, on snapshots whose label windows
ended before that origin (so before m), with failures known by the origin.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import torch
from torch_geometric.data import HeteroData
from tqdm import tqdm

from gnn.config import Channel, GnnConfig
from gnn.data.distress import MeasureReader
from gnn.data.extract import TemporalGraph
from gnn.data.months import month_end, month_start, parse_month
from gnn.data.snapshot import COMPANY, attach_labels, build_snapshot
from gnn.explain import DRIVER_COLUMNS, ensemble_drivers
from gnn.models.contagion import ContagionEnsemble
from gnn.training.folds import folds_of, label_horizon, origin_of, training_months
from gnn.training.trainer import fit_model

COLUMNS = ["siren", "month", *[c.value for c in Channel]]


@dataclass
class OofRun:
    """What an out-of-fold run produced.

    Attributes:
        features: siren, month, and the three channel columns (NaN where no model
            could be trained without looking past the month).
        assignments: siren, month, origin, fold: which model scored each row.
        trained_on: per (origin, fold), the SIRENs whose labels that model used.
        label_windows: per origin, (snapshot month, label window in months) of its
            training snapshots: every window ends before the origin.
        seconds_snapshots: time spent building snapshots.
        seconds_training: time spent fitting models.
        models: number of models fitted.
        fitted: per origin, its K models (index = fold).
        snapshots: the snapshots built for the run.
        folds: K.
    """

    features: pd.DataFrame
    assignments: pd.DataFrame
    trained_on: dict[tuple[date, int], frozenset[str]] = field(default_factory=dict)
    label_windows: dict[date, list[tuple[date, int]]] = field(default_factory=dict)
    seconds_snapshots: float = 0.0
    seconds_training: float = 0.0
    models: int = 0
    fitted: dict[date, list[ContagionEnsemble]] = field(default_factory=dict)
    snapshots: SnapshotCache | None = None
    folds: int = 5

    def drivers(self, month: date, sirens: Sequence[str], retrain_every: int) -> pd.DataFrame:
        """Per-neighbour shares of the features of some companies at ``month`` (``gnn.explain``).

        Args:
            month: a month of the run.
            sirens: the companies to explain.
            retrain_every: ``GnnConfig.retrain_every`` of the run.

        Returns:
            ``gnn.explain.DRIVER_COLUMNS``; empty when the month has no model.
        """
        models = self.fitted.get(origin_of(month_start(month), retrain_every), [])
        if not models or self.snapshots is None:
            return pd.DataFrame(columns=DRIVER_COLUMNS)
        data = self.snapshots.get(month_start(month))
        fold = pd.Series(folds_of(list(sirens), self.folds), index=list(sirens))
        parts = [ensemble_drivers(models[k], data, list(group.index)) for k, group in fold.groupby(fold)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DRIVER_COLUMNS)


class SnapshotCache:
    """Builds each month's snapshot once for the whole run.

    Args:
        graph: the dated graph.
        config: the GNN configuration.
        reader: the measure store reader, if any.
    """

    def __init__(self, graph: TemporalGraph, config: GnnConfig, reader: MeasureReader | None) -> None:
        self.graph, self.config, self.reader = graph, config, reader
        self._cache: dict[date, HeteroData] = {}
        self.seconds = 0.0

    def get(self, month: date) -> HeteroData:
        """The snapshot of ``month``."""
        if month not in self._cache:
            started = time.perf_counter()
            self._cache[month] = build_snapshot(self.graph, month, self.config, self.reader)
            self.seconds += time.perf_counter() - started
        return self._cache[month]


def _seed(config: GnnConfig, origin: date, fold: int, member: int) -> int:
    return config.seed + origin.year * 10_000 + origin.month * 100 + fold * 10 + member


def _empty_rows(data: HeteroData, month: date) -> pd.DataFrame:
    df = pd.DataFrame({"siren": data[COMPANY].siren, "month": month})
    for c in Channel:
        df[c.value] = np.nan
    return df


def run_out_of_fold(
    graph: TemporalGraph,
    months: Sequence[date],
    config: GnnConfig | None = None,
    reader: MeasureReader | None = None,
) -> OofRun:
    """Trains the out-of-fold models the months need and computes their features.

    Args:
        graph: the dated graph (``read_temporal_graph``).
        months: the months to export (any day of each; duplicates ignored).
        config: the GNN configuration; defaults when omitted.
        reader: the measure store reader, if any.

    Returns:
        The features and the bookkeeping that proves they are out of fold.
    """
    config = config or GnnConfig()
    torch.set_num_threads(config.threads)
    cache = SnapshotCache(graph, config, reader)
    history = parse_month(config.history_start) if config.history_start else graph.earliest_known()
    history = month_start(history) if history else None
    by_origin: dict[date, list[date]] = defaultdict(list)
    for m in sorted({month_start(m) for m in months}):
        by_origin[origin_of(m, config.retrain_every)].append(m)

    shortest = min(config.min_label_months, config.horizon_months)
    plan = {
        origin: training_months(origin, shortest, config.train_months, config.train_stride, history)
        for origin in by_origin
    }
    if reader is not None:
        # One pass over the flows for every month of the run rather than one per month.
        reader.prefetch(sorted({m for ms in plan.values() for m in ms} | {m for ms in by_origin.values() for m in ms}))
    run = OofRun(pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=["siren", "month", "origin", "fold"]))
    frames: list[pd.DataFrame] = []
    assigned: list[pd.DataFrame] = []
    bar = tqdm(total=len(by_origin) * config.folds, desc="gnn out-of-fold models", disable=not config.progress)
    for origin, served in by_origin.items():
        train_months = plan[origin]
        snapshots = [cache.get(m) for m in train_months]
        windows = [label_horizon(m, origin, config.horizon_months) for m in train_months]
        for data, window in zip(snapshots, windows, strict=True):
            # Labels are re-attached per origin: a cached snapshot serves several origins.
            attach_labels(data, graph, window, month_end(origin))
        run.label_windows[origin] = list(zip(train_months, windows, strict=True))
        models: list[ContagionEnsemble] = []
        started = time.perf_counter()
        for k in range(config.folds if snapshots else 0):
            masks = []
            seen: set[str] = set()
            for data in snapshots:
                outside = torch.from_numpy(folds_of(data[COMPANY].siren, config.folds) != k)
                mask = data[COMPANY].label_mask & outside
                masks.append(mask)
                seen.update(np.asarray(data[COMPANY].siren, dtype=object)[mask.numpy()].tolist())
            members = [fit_model(snapshots, masks, config, _seed(config, origin, k, j)) for j in range(config.ensemble)]
            models.append(ContagionEnsemble(members))
            run.trained_on[(origin, k)] = frozenset(seen)
            bar.update(1)
        run.seconds_training += time.perf_counter() - started
        run.models += len(models) * config.ensemble
        run.fitted[origin] = models
        if not models:
            bar.update(config.folds)
        for m in served:
            data = cache.get(m)
            if not models:
                frames.append(_empty_rows(data, m))
                continue
            fold = folds_of(data[COMPANY].siren, config.folds)
            values = np.zeros((len(fold), len(Channel)), dtype=np.float64)
            with torch.no_grad():
                for k, model in enumerate(models):
                    rows = fold == k
                    if not rows.any():
                        continue
                    _, terms = model.channels(data)
                    for j, c in enumerate(Channel):
                        values[rows, j] = terms[c].numpy()[rows]
            df = pd.DataFrame({"siren": data[COMPANY].siren, "month": m})
            for j, c in enumerate(Channel):
                df[c.value] = values[:, j]
            frames.append(df)
            assigned.append(pd.DataFrame({"siren": data[COMPANY].siren, "month": m, "origin": origin, "fold": fold}))
    bar.close()
    if frames:
        run.features = pd.concat(frames, ignore_index=True)
    if assigned:
        run.assignments = pd.concat(assigned, ignore_index=True)
    run.seconds_snapshots = cache.seconds
    run.snapshots = cache
    run.folds = config.folds
    return run
