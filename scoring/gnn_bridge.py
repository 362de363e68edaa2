"""The GNN contagion features, when the ``gnn`` package provides them (optional input).

Contract (``gnn.export.contagion_features``, docs/gnn.md): a DataFrame (siren,
month as a date, gnn_supplier_contagion, gnn_client_contagion,
gnn_group_contagion), computed out of fold and respecting time: the features of
month ``t`` use only what was known by ``t`` and models whose label windows end
before ``t``. Months here are ordinals; the bridge converts.
"""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import pandas as pd

from graphstore.store import GraphStore
from scoring.features.catalog import GNN_FEATURES
from scoring.months import months_of


def gnn_features(store: GraphStore, months: list[int]) -> pd.DataFrame | None:
    """GNN features for ``months`` (each as of itself), or None when the GNN is unavailable.

    Args:
        store: the graph.
        months: month ordinals wanted.
    """
    try:
        mod = importlib.import_module("gnn.export")
    except ImportError:
        return None
    fn = getattr(mod, "contagion_features", None)
    if fn is None or not months:
        return None
    return normalise(fn(store, [date(m // 12, m % 12 + 1, 1) for m in months]))


def read_file(path: Path) -> pd.DataFrame | None:
    """GNN features saved by ``signaux gnn features --out FILE`` (Parquet or CSV)."""
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype={"siren": str})
    return normalise(frame)


def normalise(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """siren as text, month as an ordinal, the three feature columns; None when unusable."""
    if frame is None or frame.empty or not set(GNN_FEATURES) <= set(frame.columns):
        return None
    out: pd.DataFrame = pd.DataFrame(frame).copy()
    if not pd.api.types.is_integer_dtype(out["month"]):
        out["month"] = months_of(out["month"]).astype("int64")
    out["siren"] = out["siren"].astype(str)
    selected: pd.DataFrame = out[["siren", "month", *GNN_FEATURES]]
    return selected
