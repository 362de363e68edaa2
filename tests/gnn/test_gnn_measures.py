"""Supplier weights and distress signals come from the measure store as known at t."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gnn_graphs import GraphBuilder

from gnn.data import build_snapshot, read_temporal_graph
from gnn.data.distress import MeasureReader
from gnn.data.features import FEATURE_NAMES
from graphstore.measures import MeasureStore, Provenance, Table
from graphstore.store import GraphStore


def _flows(ms: MeasureStore, delivery: str, known_on: date, rows: list[tuple[str, str, date, float]]) -> None:
    ms.write(
        Table.SUPPLIER_FLOWS,
        [{"supplier": s, "client": c, "month": m, "amount": a, "invoices": 1} for s, c, m, a in rows],
        Provenance(delivery, known_on, f"flux_facturation_{delivery}.csv"),
    )


def _debt(ms: MeasureStore, delivery: str, known_on: date, siren: str, processed_on: date) -> None:
    ms.write(
        Table.DEBT_LINES,
        [{"num_cpte": f"c{siren}", "siren": siren, "siret": f"{siren}00011", "period_start": date(2023, 1, 1),
          "period_end": date(2023, 1, 31), "num_ecn": "1", "num_hist_ecn": 1, "processed_on": processed_on,
          "amount_po": 400_000, "amount_pp": 600_000}],
        Provenance(delivery, known_on, f"sigfaible_debits_{delivery}.csv"),
    )  # fmt: skip


def test_flows_and_debts_as_known_at_t(store: GraphStore, graph_builder: GraphBuilder, tmp_path: Path) -> None:
    graph_builder.companies([{"siren": s, "created_on": "2010-01-01", "known_on": "2022-01-01"} for s in "ABC"])
    # A SUPPLIES edge in the graph is ignored once the measure store has flows.
    graph_builder.supplies([{"src": "C", "dst": "A", "since": "2020-01-01", "known_on": "2022-01-01",
                             "supplier_dependency": 1.0, "client_dependency": 1.0}])  # fmt: skip
    ms = MeasureStore(tmp_path / "measures")
    _flows(ms, "2023-04", date(2023, 4, 5), [("A", "B", date(2023, 3, 1), 300.0), ("C", "B", date(2023, 3, 1), 100.0)])
    _flows(ms, "2023-07", date(2023, 7, 5), [("A", "C", date(2023, 5, 1), 50.0)])  # late: unknown in June
    _flows(ms, "2023-08", date(2023, 8, 5), [("A", "B", date(2023, 3, 1), 100.0)])  # a correction
    _debt(ms, "2023-06", date(2023, 6, 5), "A", date(2023, 5, 10))
    _debt(ms, "2023-07", date(2023, 7, 5), "B", date(2023, 5, 10))  # valid in May, delivered in July
    reader = MeasureReader(ms)
    graph = read_temporal_graph(store)

    def edges(data: object) -> dict[tuple[str, str], float]:
        et = ("company", "supplies", "company")
        s = data["company"].siren  # type: ignore[index]
        ei, w = data[et].edge_index, data[et].edge_weight  # type: ignore[index]
        return {(s[a], s[b]): x for (a, b), x in zip(ei.t().tolist(), w.tolist(), strict=True)}

    jun = build_snapshot(graph, date(2023, 6, 1), reader=reader)
    aug = build_snapshot(graph, date(2023, 8, 1), reader=reader)
    # Weight of supplier -> client: the supplier's share of the client's purchases.
    assert edges(jun) == pytest.approx({("A", "B"): 0.75, ("C", "B"): 0.25})
    assert edges(aug) == pytest.approx({("A", "B"): 0.5, ("C", "B"): 0.5, ("A", "C"): 1.0})

    debt = FEATURE_NAMES.index("debt_present")
    assert jun["company"].x[:, debt].tolist() == [1.0, 0.0, 0.0]
    assert aug["company"].x[:, debt].tolist() == [1.0, 1.0, 0.0]
