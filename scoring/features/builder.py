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
from scoring.features.measures import MeasureIndex
from scoring.features.tabular import (
    financial_features,
    profile_features,
    urssaf_features,
    workforce_features,
)
from scoring.perimeter import in_procedure, perimeter, procedure_spells

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


def build_month(
    inputs: FeatureInputs,
    month: int,
    config: PerimeterConfig,
    gnn: pd.DataFrame | None = None,
    index: MeasureIndex | None = None,
) -> Panel:
    """Features of every company in the perimeter at ``month``, from facts known by its end.

    Args:
        inputs: facts (anything known later is cut off here).
        month: month ordinal.
        config: perimeter.
        gnn: optional GNN features (siren, month, gnn_* columns).
        index: the measure index of ``inputs`` (built here when omitted).

    Returns:
        The panel of that month.
    """
    inputs = inputs.with_int_ids()
    index = index or MeasureIndex(inputs)
    known = inputs.known_by(month, monthly=False)
    per = perimeter(known, month, config, index)
    sirens = pd.Index(per["siren"], name="siren")
    members = group_membership(known, month).index
    everyone = sirens.union(pd.Index(members, name="siren"))
    urssaf = urssaf_features(known, index, month, everyone)
    spells = procedure_spells(known.procedures)
    in_proc = pd.Series(in_procedure(spells, pd.Series(everyone), month), index=everyone)
    distressed = (urssaf["debt_share"] >= DISTRESS_DEBT_SHARE) | in_proc
    graph, drivers = graph_features(known, month, sirens, distressed)
    frame = pd.concat(
        [
            urssaf.reindex(sirens),
            workforce_features(known, index, month, sirens),
            financial_features(known, month, sirens),
            profile_features(known, month, sirens),
            graph.drop(columns=["exposed"]),
        ],
        axis=1,
    )
    if gnn is not None and not gnn.empty:
        g = gnn[gnn["month"] == month].drop_duplicates("siren")
        g = g.set_index(pd.to_numeric(g["siren"], errors="coerce"))
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
    out["siren"] = _siren_text(out["siren"])
    drivers = drivers.assign(month=month, siren=_siren_text(drivers["siren"]), related=_siren_text(drivers["related"]))
    return Panel(out, drivers)


def _siren_text(values: pd.Series) -> pd.Series:
    return values.map(lambda v: f"{int(v):09d}").astype(object)


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
    inputs = inputs.with_int_ids()
    index = MeasureIndex(inputs)
    parts = [build_month(inputs, m, config, gnn, index) for m in months]
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    drivers = pd.concat([p.drivers for p in parts], ignore_index=True)
    return Panel(frame, drivers)
