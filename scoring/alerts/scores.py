"""Scores of a month: probabilities, alert levels, explanations; written to Neo4j and CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphstore.store import GraphStore
from scoring.config import AlertLevel
from scoring.features.builder import Panel
from scoring.model.explain import explanations, to_json
from scoring.model.predictor import HazardModel
from scoring.model.thresholds import Thresholds
from scoring.months import format_period

CSV_COLUMNS: tuple[str, ...] = ("siren", "period", "p12", "p18", "p24", "alert")


def score_panel(
    model: HazardModel, thresholds: Thresholds, panel: Panel, version: str, explain: bool = True
) -> pd.DataFrame:
    """Scores every company of a one-month panel.

    Companies in a procedure are kept with empty probabilities and alert ``none``
    (flagged, never alerted).

    Args:
        model: the trained model.
        thresholds: alert cut-offs.
        panel: features of one month.
        version: the model version recorded on each score.
        explain: compute the explanations (the costliest part).

    Returns:
        siren, period, region, in_procedure, p12, p18, p24, alert, model_version,
        explanation (JSON text or None).
    """
    frame = panel.frame
    out = frame[["siren", "month", "region", "in_procedure"]].copy()
    out["period"] = out["month"].map(lambda m: format_period(int(m)))
    live = ~frame["in_procedure"].to_numpy(bool)
    probs = model.predict(frame[live])
    for col in ("p12", "p18", "p24"):
        out[col] = np.nan
        out.loc[live, col] = probs[col].to_numpy()
    out["alert"] = AlertLevel.NONE.value
    out.loc[live, "alert"] = thresholds.level(probs["p12"].to_numpy())
    out["model_version"] = version
    out["explanation"] = None
    if explain and live.any():
        texts = [to_json(e) for e in explanations(model, frame[live], panel.drivers)]
        out.loc[live, "explanation"] = pd.Series(texts, index=out.index[live])
    return out.drop(columns=["month"]).reset_index(drop=True)


def _none_if_nan(v: Any) -> Any:
    return None if isinstance(v, float) and np.isnan(v) else v


def write_scores(store: GraphStore, scores: pd.DataFrame) -> int:
    """Upserts ``(:Score)-[:FOR]->(:Company)``, one score per company and period.

    Rescoring a period replaces its scores (same id), with the new model version.

    Args:
        store: the graph.
        scores: the output of :func:`score_panel`.

    Returns:
        Scores written.
    """
    rows = (
        {
            "id": f"{r['siren']}:{r['period']}",
            "siren": str(r["siren"]),
            "period": str(r["period"]),
            "p12": _none_if_nan(float(r["p12"])),
            "p18": _none_if_nan(float(r["p18"])),
            "p24": _none_if_nan(float(r["p24"])),
            "alert": str(r["alert"]),
            "in_procedure": bool(r["in_procedure"]),
            "model_version": str(r["model_version"]),
            "explanation": r["explanation"],
        }
        for r in scores.to_dict("records")
    )
    return store.write_batches(
        "UNWIND $rows AS row "
        "MATCH (c:Company {siren: row.siren}) "
        "MERGE (s:Score {id: row.id}) "
        "SET s.siren = row.siren, s.period = row.period, s.p12 = row.p12, s.p18 = row.p18, s.p24 = row.p24, "
        "s.alert = row.alert, s.in_procedure = row.in_procedure, s.model_version = row.model_version, "
        "s.explanation = row.explanation, s.scored_at = datetime() "
        "MERGE (s)-[:FOR]->(c)",
        rows,
        batch_size=2000,
    )


def write_csv(scores: pd.DataFrame, path: Path) -> int:
    """Writes ``siren,period,p12,p18,p24,alert`` for the scored companies (not those in a procedure).

    Returns:
        Rows written.
    """
    rows = scores[~scores["in_procedure"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for r in rows.itertuples(index=False):
            w.writerow([r.siren, r.period, f"{r.p12:.6f}", f"{r.p18:.6f}", f"{r.p24:.6f}", r.alert])
    return len(rows)
