"""The HeteroData snapshot of month t holds only what existed and was known at t."""

from __future__ import annotations

from datetime import date

import pytest
import torch
from gnn_graphs import GraphBuilder

from gnn.config import GnnConfig, ResentPolicy
from gnn.data import attach_labels, build_snapshot, read_temporal_graph
from gnn.data.features import FEATURE_NAMES
from graphstore.store import GraphStore

KNOWN = "2022-01-01"
STRICT = GnnConfig(resent_facts=ResentPolicy.KNOWN_ON)


@pytest.fixture
def small_graph(graph_builder: GraphBuilder) -> GraphBuilder:
    b = graph_builder
    b.companies([{"siren": s, "created_on": "2015-01-01", "known_on": KNOWN} for s in ("A", "B", "C", "D")])
    # E exists from 2023-06 but is delivered only in July.
    b.companies([{"siren": "E", "created_on": "2023-06-01", "known_on": "2023-07-05"}])
    b.supplies(
        [
            {"src": "A", "dst": "B", "since": "2021-01-01", "known_on": KNOWN,
             "supplier_dependency": 0.8, "client_dependency": 0.5},
            # Starts after the first month.
            {"src": "B", "dst": "C", "since": "2023-02-01", "known_on": "2023-03-01",
             "supplier_dependency": 0.4, "client_dependency": 0.9},
            # Valid for long but delivered late: unknown at both months.
            {"src": "C", "dst": "D", "since": "2021-01-01", "known_on": "2023-08-01",
             "supplier_dependency": 1.0, "client_dependency": 1.0},
        ]
    )  # fmt: skip
    b.company_owns(
        [{"src": "A", "dst": "B", "percentage": 60.0, "since": "2020-01-01", "until": "2023-04-30", "known_on": KNOWN}]
    )
    b.person_links("owns", [{"src": "P1", "dst": "A", "percentage": 100.0, "since": "2020-01-01", "until": None,
                             "known_on": KNOWN}])  # fmt: skip
    b.person_links("directs", [{"src": "P1", "dst": "B", "percentage": None, "since": "2023-03-01", "until": None,
                                "known_on": "2023-03-02"}])  # fmt: skip
    b.members(
        [
            {"src": "A", "dst": "G", "known_on": KNOWN},
            {"src": "B", "dst": "G", "known_on": KNOWN},
            {"src": "C", "dst": "G", "known_on": "2023-05-01"},
        ]
    )
    b.procedures(
        [
            {"siren": "D", "kind": "redressement", "judgment_date": "2023-03-10", "known_on": "2023-04-01"},
            # Judged after the second month: invisible there.
            {"siren": "B", "kind": "liquidation", "judgment_date": "2023-09-10", "known_on": "2023-10-01"},
        ]
    )
    return b


def _counts(data: object) -> dict[str, int]:
    out = {t: data[t].num_nodes for t in ("company", "person", "group")}  # type: ignore[index]
    for et in data.edge_types:  # type: ignore[attr-defined]
        out["-".join(et)] = int(data[et].edge_index.size(1))  # type: ignore[index]
    return out


def test_counts_at_two_months(store: GraphStore, small_graph: GraphBuilder) -> None:
    graph = read_temporal_graph(store)
    dec = build_snapshot(graph, date(2022, 12, 1), STRICT)
    jun = build_snapshot(graph, date(2023, 6, 1), STRICT)

    c = _counts(dec)
    assert (c["company"], c["person"], c["group"]) == (4, 1, 1)
    assert c["company-supplies-company"] == c["company-rev_supplies-company"] == 1
    assert c["company-owns-company"] == 1
    assert c["person-owns-company"] == 1
    assert c["person-directs-company"] == 0
    assert c["person-linked_to-company"] == 1
    assert c["company-member_of-group"] == c["group-rev_member_of-company"] == 2
    assert not dec["company"].in_procedure.any()

    c = _counts(jun)
    assert (c["company"], c["person"], c["group"]) == (4, 1, 1)  # E known only in July
    assert c["company-supplies-company"] == 2  # B->C began; C->D not yet known
    assert c["company-owns-company"] == 0  # ended in April
    assert c["person-owns-company"] == c["person-directs-company"] == 1
    assert c["person-linked_to-company"] == 2
    assert c["company-member_of-group"] == 3
    sirens = jun["company"].siren
    status = dict(zip(sirens, jun["company"].in_procedure.tolist(), strict=True))
    assert status == {"A": False, "B": False, "C": False, "D": True}

    # Weights: supplier -> client carries the client's dependency, the reverse the supplier's.
    et = ("company", "supplies", "company")
    pairs = {
        (sirens[s], sirens[d]): w
        for (s, d), w in zip(jun[et].edge_index.t().tolist(), jun[et].edge_weight.tolist(), strict=True)
    }
    assert pairs == pytest.approx({("A", "B"): 0.5, ("B", "C"): 0.9})
    assert jun["company"].x.shape == (4, len(FEATURE_NAMES))


def test_resent_facts_dated_by_validity(store: GraphStore, small_graph: GraphBuilder) -> None:
    graph = read_temporal_graph(store)
    # VALID_TIME (the default): E exists from its creation, C's membership as last delivered.
    dec = _counts(build_snapshot(graph, date(2022, 12, 1)))
    jun = _counts(build_snapshot(graph, date(2023, 6, 1)))
    assert (dec["company"], jun["company"]) == (4, 5)
    assert dec["company-member_of-group"] == jun["company-member_of-group"] == 3
    # Everything that is not re-sent keeps its known_on.
    assert jun["company-supplies-company"] == 2 and dec["person-directs-company"] == 0
    # An ended link is dated by its validity (it was re-sent with its end date).
    assert dec["company-owns-company"] == 1 and jun["company-owns-company"] == 0


def test_labels_need_the_whole_window(store: GraphStore, small_graph: GraphBuilder) -> None:
    graph = read_temporal_graph(store)
    dec = build_snapshot(graph, date(2022, 12, 1), STRICT)
    with pytest.raises(ValueError, match="future"):
        attach_labels(dec, graph, 12, date(2023, 11, 30))
    attach_labels(dec, graph, 12, date(2023, 12, 31))
    labels = dict(zip(dec["company"].siren, dec["company"].y.tolist(), strict=True))
    # D's failure (March 2023) is a label of December 2022; B's (September) too.
    assert labels == {"A": 0.0, "B": 1.0, "C": 0.0, "D": 1.0}
    assert bool(dec["company"].label_mask.all())
    jun = build_snapshot(graph, date(2023, 6, 1), STRICT)
    attach_labels(jun, graph, 6, date(2023, 12, 31))
    mask = dict(zip(jun["company"].siren, jun["company"].label_mask.tolist(), strict=True))
    assert mask["D"] is False and mask["B"] is True
    assert torch.equal(jun["company"].y[jun["company"].label_mask], torch.tensor([0.0, 1.0, 0.0]))
