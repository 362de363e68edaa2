"""Session fixtures: one real Neo4j per test run, a clean graph per test.

With ``NEO4J_URI`` set the tests use that server; otherwise they start the local
embedded Neo4j (Neo4j 5.26 Community) in a temporary data folder on a free port
and stop it at the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphstore import local
from graphstore.driver import close_drivers
from graphstore.migrate import migrate
from graphstore.settings import StoreSettings, get_settings
from graphstore.store import GraphStore


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreSettings]:
    """The settings of the Neo4j used by this run (started here when local)."""
    if not os.environ.get("NEO4J_URI"):
        os.environ["SIGNAUX_DATA_DIR"] = str(tmp_path_factory.mktemp("signaux-data"))
        os.environ["SIGNAUX_NEO4J_PORT"] = str(local.free_port())
        os.environ.setdefault("SIGNAUX_NEO4J_HEAP", "1g")
        os.environ.setdefault("SIGNAUX_NEO4J_PAGECACHE_MB", "256")
    get_settings.cache_clear()
    settings = get_settings()
    started = False
    if not settings.uri:
        local.start(settings)
        started = True
    migrate(GraphStore())
    yield settings
    close_drivers()
    if started:
        local.stop(settings)


@pytest.fixture(scope="session")
def data_dir(neo4j_settings: StoreSettings) -> Path:
    """The run's data folder (measure store, models), shared by the session."""
    return neo4j_settings.data_dir


def clean_graph(store: GraphStore) -> None:
    """Deletes every node but the migration records, in bounded transactions."""
    while store.write("MATCH (n) WHERE NOT n:Migration WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted")[
        0
    ]["deleted"]:
        pass


@pytest.fixture
def store(neo4j_settings: StoreSettings) -> GraphStore:
    """A store on a clean graph (schema kept)."""
    s = GraphStore()
    clean_graph(s)
    return s
