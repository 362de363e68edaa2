"""Pure parts of the company page, pins and trade exposure (no Neo4j)."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest

from graph_api.company.score_types import Score
from graph_api.exposure import trade
from graph_api.timeline import service as timeline


def test_score_explanation_grouped_and_partners_sorted() -> None:
    row = {
        "period": "2025-05",
        "p12": 0.2,
        "explanation": {
            "groups": {"a": 0.1, "b": -0.3, "c": 0.3},
            "top_features": [{"feature": "f", "contribution": 0.2}],
            "related": {
                "supplier_contagion": [{"siren": "1", "weight": 0.2}, {"siren": "2", "weight": 0.9}],
                "group": [{"siren": "3", "weight": 1.0, "judgment": "2025-01"}],
            },
        },
    }
    score = Score.from_row(row)
    assert [(g.group, g.contribution) for g in score.explanation_groups] == [("b", -0.3), ("c", 0.3), ("a", 0.1)]
    assert [(p.siren, p.group, p.judgment) for p in score.contagion] == [
        ("3", "group", "2025-01"),
        ("2", "supplier_contagion", None),
        ("1", "supplier_contagion", None),
    ]


@pytest.mark.parametrize("raw", [None, {"text": "not json"}, {"groups": "x", "related": [1, 2]}, {"related": {"g": 3}}])
def test_score_without_a_usable_explanation(raw: object) -> None:
    score = Score.from_row({"period": "2025-05", "explanation": raw})
    assert score.explanation_groups == [] and score.contagion == [] and score.top_features == []


def test_pinned_cursor_round_trip_and_old_cursors() -> None:
    key = timeline.Key(date(2025, 1, 31), "x", 0)
    assert timeline.decode(timeline.encode(key)) == key
    old = base64.urlsafe_b64encode(json.dumps(["tl", "2025-01-31", "x"]).encode()).decode()
    assert timeline.decode(old) == timeline.Key(date(2025, 1, 31), "x", 1)
    bad = base64.urlsafe_b64encode(json.dumps(["tl", "2025-01-31", "x", 7]).encode()).decode()
    assert timeline.decode(bad) is None


def test_trade_aggregate() -> None:
    rows: list[dict[str, Any]] = [
        {"side": "SALES", "siren": "a", "share": 0.5, "amount": 100.0, "in_procedure": True},
        {"side": "SALES", "siren": "b", "share": 0.2, "amount": 40.0, "in_procedure": False},
        {"side": "SALES", "siren": "c", "share": 0.1, "amount": 20.0, "in_procedure": False},
        {"side": "PURCHASES", "siren": "a", "share": 0.3, "amount": 10.0, "in_procedure": True},
        {"side": "PURCHASES", "siren": "d", "share": None, "amount": None, "in_procedure": False},
    ]
    out = trade.aggregate(rows, {"a": "high", "b": "moderate", "c": "none"}, {"a", "b", "c"})
    sales = out["SALES"]
    assert (sales.partners, sales.amount_12m, sales.amount_at_risk) == (3, 160.0, 140.0)
    assert sales.share_in_procedure == pytest.approx(0.5)
    assert sales.share_on_alert == pytest.approx(0.7)  # a (also in a procedure) and b
    assert sales.share_at_risk == pytest.approx(0.7)  # a counted once
    assert sales.at_risk == ["a", "b"]
    purchases = out["PURCHASES"]
    assert purchases.share_undisclosed == 0.0  # d has no share
    hidden = trade.aggregate(rows, {}, set())["SALES"]
    assert hidden.share_on_alert == 0.0
    assert hidden.share_at_risk == pytest.approx(0.5)
    assert hidden.share_undisclosed == pytest.approx(0.3)
