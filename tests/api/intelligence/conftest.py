"""The hand-built graph, once per module, with the API running."""

from __future__ import annotations

import graph
import pytest
from api_support import LiveApi

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore


@pytest.fixture(scope="module")
def built(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    """A clean graph with the hand-built companies."""
    store = GraphStore()
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    graph.build(store)
    return store
