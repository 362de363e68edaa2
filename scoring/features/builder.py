"""The feature panel: one row per company in the perimeter and month, as of that month.

Public entry points: :func:`build_month` (one month, for scoring) and
:func:`build_panel` (many months, for training and evaluation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from scoring.config import PerimeterConfig
from scoring.features.catalog import GNN_FEATURES
from scoring.features.graph import graph_features, group_membership
from scoring.features.inputs import FeatureInputs
from scoring.features.tabular import (
    financial_features,
    profile_features,
    urssaf_features,
    workforce_features,
)
from scoring.perimeter import in_procedure, perimeter

META_COLUMNS: tuple[str, ...] = ("siren", "month", "region", "departement_code", "in_procedure", "exposed")
DISTRESS_DEBT_SHARE = 1.0  # debt of at least a month of contributions


@dataclass(frozen=True)
class Panel:
    """Features and the related companies behind the contagion features.

    Attributes:
        frame: META_COLUMNS then one column per feature.
        drivers: siren, month, related, relation, weight, judgment_month.
    """

    frame: pd.DataFrame
    drivers: pd.DataFrame

    @property
    def feature_columns(self) -> list[str]:
        """The feature columns of ``frame``."""
        return [c for c in self.frame.columns if c not in META_COLUMNS]


def build_month(inputs: FeatureInputs, month: int, config: PerimeterConfig, gnn: pd.DataFrame | None = None) -> Panel:
    """Features of every company in the perimeter at ``month``, from facts known by its end.

    Args:
        inputs: facts (anything known later is cut off here).
        month: month ordinal.
        config: perimeter.
        gnn: optional GNN features (siren, month, gnn_* columns).

    Returns:
        The panel of that month.
    """
    known = inputs.known_by(month)
    per = perimeter(known, month, config)
    sirens = pd.Index(per["siren"], name="siren")
    members = group_membership(known, month).index
    everyone = sirens.union(pd.Index(members, name="siren"))
    urssaf = urssaf_features(known, month, everyone)
    in_proc = pd.Series(in_procedure(known.procedures, pd.Series(everyone), month), index=everyone)
    distressed = (urssaf["debt_share"] >= DISTRESS_DEBT_SHARE) | in_proc
    graph, drivers = graph_features(known, month, sirens, distressed)
    frame = pd.concat(
        [
            urssaf.reindex(sirens),
            workforce_features(known, month, sirens),
            financial_features(known, month, sirens),
            profile_features(known, month, sirens),
            graph.drop(columns=["exposed"]),
        ],
        axis=1,
    )
    if gnn is not None and not gnn.empty:
        g = gnn[gnn["month"] == month].drop_duplicates("siren").set_index("siren")
        for col in GNN_FEATURES:
            frame[col] = g[col].reindex(sirens).astype("float64") if col in g else float("nan")
    else:
        for col in GNN_FEATURES:
            frame[col] = float("nan")
    meta = pd.DataFrame(
        {
            "siren": sirens.to_numpy(),
            "month": month,
            "region": per["region"].to_numpy(),
            "departement_code": per["departement"].to_numpy(),
            "in_procedure": per["in_procedure"].to_numpy(),
            "exposed": graph["exposed"].to_numpy() > 0,
        }
    )
    out = pd.concat([meta, frame.reset_index(drop=True)], axis=1)
    drivers = drivers.assign(month=month)
    return Panel(out, drivers)


def build_panel(
    inputs: FeatureInputs,
    months: Iterable[int],
    config: PerimeterConfig,
    gnn: pd.DataFrame | None = None,
) -> Panel:
    """Features for many months (each month as of itself).

    Args:
        inputs: facts.
        months: month ordinals.
        config: perimeter.
        gnn: optional GNN features.
    """
    parts = [build_month(inputs, m, config, gnn) for m in months]
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    drivers = pd.concat([p.drivers for p in parts], ignore_index=True)
    return Panel(frame, drivers)
