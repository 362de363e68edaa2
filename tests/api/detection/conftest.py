"""The hand-built detection lists, once per module, with the API running."""

from __future__ import annotations

import detection_world
import pytest
from api_support import LiveApi
from world import write_measures

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore


@pytest.fixture(scope="module")
def built(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    """A clean graph holding the detection world (and URSSAF measures for its companies)."""
    store = GraphStore()
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    detection_world.build(store)
    write_measures(neo4j_settings, [it.siren for it in detection_world.ITEMS.values()])
    return store


@pytest.fixture(scope="module")
def tokens(api: LiveApi, built: GraphStore) -> dict[str, str]:
    """Real tokens of the agents under test (created after the graph was cleaned)."""
    home = detection_world.HOME
    return {
        "full": api.token("det-full", agency=home, zones=("21",), roles=("detection", "score", "urssaf")),
        "plain": api.token("det-plain", agency=home, zones=("21",), roles=("detection",)),
        "region": api.token("det-region", agency=home, zones=("21", "25"), roles=("detection",)),
        "paris": api.token("det-paris", agency="DREETS-75", zones=("75",), roles=("detection", "score")),
        "nodetect": api.token("det-none", agency=home, zones=("21",), roles=("score", "urssaf")),
    }
