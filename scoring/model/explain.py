"""Explanations per scored company: contributions per group and the partners behind contagion."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from scoring.config import FeatureGroup
from scoring.features.catalog import group
from scoring.model.predictor import HazardModel
from scoring.months import format_period

# Groups shown to agents; network, profile and GNN-free leftovers go to "other".
SHOWN: tuple[FeatureGroup, ...] = (
    FeatureGroup.URSSAF_DEBT,
    FeatureGroup.SHORT_TIME_WORK,
    FeatureGroup.HEADCOUNT,
    FeatureGroup.FINANCIAL_HEALTH,
    FeatureGroup.SUPPLIER_CONTAGION,
    FeatureGroup.CLIENT_CONTAGION,
    FeatureGroup.GROUP,
)
_RELATION_GROUP = {
    "supplier": FeatureGroup.SUPPLIER_CONTAGION,
    "client": FeatureGroup.CLIENT_CONTAGION,
    "group": FeatureGroup.GROUP,
}
MAX_RELATED = 5
MAX_FEATURES = 5


def grouped_contributions(contrib: pd.DataFrame) -> pd.DataFrame:
    """Contributions summed per explanation group.

    Args:
        contrib: per-feature contributions (:meth:`HazardModel.contributions`).

    Returns:
        One column per shown group plus ``other``; rows aligned with ``contrib``.
    """
    groups = {c: group(c) for c in contrib.columns}
    out = pd.DataFrame(index=contrib.index)
    for g in SHOWN:
        cols = [c for c, gg in groups.items() if gg == g]
        out[g.value] = contrib[cols].sum(axis=1) if cols else 0.0
    rest = [c for c, gg in groups.items() if gg not in SHOWN]
    out["other"] = contrib[rest].sum(axis=1) if rest else 0.0
    return out


def explanations(model: HazardModel, frame: pd.DataFrame, drivers: pd.DataFrame) -> list[dict[str, Any]]:
    """One explanation per row of ``frame``.

    Each explanation holds ``groups`` (contribution per group, log-odds),
    ``top_features`` (the largest contributions, signed) and ``related``: for each
    contagion group, the failed partners behind it (siren, weight = dependency or
    1 for a group member, judgment month), largest weight first.

    Args:
        model: the trained model.
        frame: panel rows (one month).
        drivers: the panel's drivers (siren, related, relation, weight, judgment_month).
    """
    if frame.empty:
        return []
    contrib = model.contributions(frame)
    grouped = grouped_contributions(contrib)
    by_company: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in drivers.sort_values("weight", ascending=False).to_dict("records"):
        key = _RELATION_GROUP[str(row["relation"])].value
        lst = by_company.setdefault(str(row["siren"]), {}).setdefault(key, [])
        if len(lst) < MAX_RELATED:
            jm = row["judgment_month"]
            lst.append(
                {
                    "siren": str(row["related"]),
                    "weight": round(float(row["weight"]), 4),
                    "judgment": None if jm is None or jm != jm else format_period(int(jm)),
                }
            )
    out: list[dict[str, Any]] = []
    values = contrib.to_numpy()
    names = np.array(contrib.columns)
    for i, siren in enumerate(frame["siren"].astype(str)):
        top = np.argsort(-np.abs(values[i]))[:MAX_FEATURES]
        out.append(
            {
                "groups": {k: round(float(v), 4) for k, v in grouped.iloc[i].items()},
                "top_features": [
                    {"feature": str(names[j]), "contribution": round(float(values[i, j]), 4)} for j in top
                ],
                "related": by_company.get(siren, {}),
            }
        )
    return out


def to_json(explanation: dict[str, Any]) -> str:
    """Compact JSON of an explanation (as stored on the Score node)."""
    return json.dumps(explanation, separators=(",", ":"), sort_keys=True)
