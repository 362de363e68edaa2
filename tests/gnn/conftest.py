"""Fixtures of the GNN tests: one thread, and a builder of hand-made dated graphs."""

from __future__ import annotations

import pytest
import torch
from gnn_graphs import GraphBuilder

from graphstore.store import GraphStore


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    # Two cores for the whole team: the tests stay on one.
    torch.set_num_threads(1)


@pytest.fixture
def graph_builder(store: GraphStore) -> GraphBuilder:
    """A builder on the clean graph of this test."""
    return GraphBuilder(store)
