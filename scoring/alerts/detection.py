"""Monthly detection lists: per region, the best-ranked *new* alerts.

A company enters the list of month ``t`` when its alert is moderate or high, it is
not in a procedure, no agency follows it yet, and it was neither alerted nor
listed in the previous ``new_alert_lookback`` months. The list of a region holds
at most ``round(list_per_10k * perimeter / 10,000)`` companies (at least
``min_list``), high alerts first, then by P12.
"""

from __future__ import annotations

import pandas as pd

from graphstore.store import GraphStore
from scoring.config import AlertConfig, AlertLevel
from scoring.months import format_period, parse_period


def list_size(perimeter_size: int, config: AlertConfig) -> int:
    """Detection-list size of a region with ``perimeter_size`` scored companies."""
    if perimeter_size <= 0:
        return 0
    return max(config.min_list, round(config.list_per_10k * perimeter_size / 10_000))


def recently_alerted(store: GraphStore, period: str, lookback: int) -> set[str]:
    """Companies alerted (score moderate/high) or listed in the ``lookback`` months before ``period``."""
    t = parse_period(period)
    periods = [format_period(m) for m in range(t - lookback, t)]
    rows = store.read(
        "MATCH (s:Score) WHERE s.period IN $periods AND s.alert IN ['moderate', 'high'] RETURN s.siren AS siren "
        "UNION MATCH (a:Alert) WHERE a.period IN $periods AND a.listed RETURN a.siren AS siren",
        {"periods": periods},
    )
    return {str(r["siren"]) for r in rows}


def followed(store: GraphStore, sirens: list[str]) -> set[str]:
    """Companies among ``sirens`` already followed by an agency."""
    rows = store.read(
        "UNWIND $sirens AS siren MATCH (:Agency)-[:FOLLOWS]->(c:Company {siren: siren}) RETURN DISTINCT c.siren AS siren",
        {"sirens": sirens},
    )
    return {str(r["siren"]) for r in rows}


def ever_listed(store: GraphStore, sirens: list[str], period: str) -> set[str]:
    """Companies among ``sirens`` listed before ``period``."""
    rows = store.read(
        "MATCH (a:Alert) WHERE a.siren IN $sirens AND a.listed AND a.period < $period RETURN DISTINCT a.siren AS siren",
        {"sirens": sirens, "period": period},
    )
    return {str(r["siren"]) for r in rows}


def detection_list(store: GraphStore, scores: pd.DataFrame, period: str, config: AlertConfig) -> pd.DataFrame:
    """The new alerts listed for ``period``, per region.

    Args:
        store: the graph (previous scores and alerts, follows).
        scores: this period's scores (:func:`scoring.alerts.scores.score_panel`).
        period: ``YYYY-MM``.
        config: list sizes and novelty.

    Returns:
        siren, period, level, region, p12, first_alert, rank (within region).
    """
    live = scores[~scores["in_procedure"]]
    sizes = live.groupby("region").size()
    cand = live[live["alert"].isin([AlertLevel.MODERATE.value, AlertLevel.HIGH.value])]
    sirens = cand["siren"].astype(str).tolist()
    excluded = recently_alerted(store, period, config.new_alert_lookback) | followed(store, sirens)
    cand = cand[~cand["siren"].astype(str).isin(excluded)].copy()
    cand["is_high"] = cand["alert"] == AlertLevel.HIGH.value
    cand = cand.sort_values(["region", "is_high", "p12"], ascending=[True, False, False])
    cand["rank"] = cand.groupby("region").cumcount() + 1
    cap = cand["region"].map(lambda r: list_size(int(sizes.get(r, 0)), config))
    listed = cand[cand["rank"] <= cap].copy()
    before = ever_listed(store, listed["siren"].astype(str).tolist(), period)
    listed["first_alert"] = ~listed["siren"].astype(str).isin(before)
    listed["level"] = listed["alert"]
    listed["period"] = period
    return listed[["siren", "period", "level", "region", "p12", "first_alert", "rank"]].reset_index(drop=True)


def write_alerts(store: GraphStore, listed: pd.DataFrame) -> int:
    """Writes ``(:Alert {listed: true})-[:FOR]->(:Company)`` for a detection list (idempotent per company-period)."""
    rows = (
        {
            "id": f"{r['siren']}:{r['period']}",
            "siren": str(r["siren"]),
            "period": str(r["period"]),
            "level": str(r["level"]),
            "region": None if r["region"] is None or r["region"] != r["region"] else str(r["region"]),
            "first_alert": bool(r["first_alert"]),
            "p12": float(r["p12"]),
            "rank": int(r["rank"]),
        }
        for r in listed.to_dict("records")
    )
    return store.write_batches(
        "UNWIND $rows AS row MATCH (c:Company {siren: row.siren}) "
        "MERGE (a:Alert {id: row.id}) "
        "SET a.siren = row.siren, a.period = row.period, a.level = row.level, a.region = row.region, "
        "a.first_alert = row.first_alert, a.listed = true, a.p12 = row.p12, a.rank = row.rank, "
        "a.created_at = coalesce(a.created_at, datetime()) "
        "MERGE (a)-[:FOR]->(c)",
        rows,
    )
