"""The interface the scoring package consumes: three contagion features per company and month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from gnn.config import Channel, GnnConfig
from gnn.data.distress import MeasureReader
from gnn.data.extract import read_temporal_graph
from gnn.training.oof import OofRun, run_out_of_fold
from graphstore.store import GraphStore

FEATURE_COLUMNS: tuple[str, ...] = tuple(c.value for c in Channel)


def contagion_run(store: GraphStore, months: Sequence[date], config: GnnConfig | None = None) -> OofRun:
    """Like ``contagion_features`` but returns the whole run (timings, fold bookkeeping).

    Args:
        store: the graph store.
        months: the months to export.
        config: the GNN configuration; defaults when omitted.
    """
    config = config or GnnConfig()
    graph = read_temporal_graph(store)
    reader = MeasureReader() if config.use_measures else None
    return run_out_of_fold(graph, months, config, reader)


def contagion_features(store: GraphStore, months: Sequence[date], config: GnnConfig | None = None) -> pd.DataFrame:
    """Out-of-fold GNN contagion features, time-respecting, for every company of each month.

    Args:
        store: the graph store.
        months: the months wanted (any day of each month; the first day is returned).
        config: the GNN configuration; defaults when omitted.

    Returns:
        Columns ``siren`` (str), ``month`` (``datetime.date``, first day),
        ``gnn_supplier_contagion``, ``gnn_client_contagion``, ``gnn_group_contagion``
        (float64 logit contributions, see docs/gnn.md; NaN for a month too early to
        have any label window ending before it). One row per company in the
        snapshot of the month.
    """
    return contagion_run(store, months, config).features
