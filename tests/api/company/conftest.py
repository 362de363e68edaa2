"""A live API on the company-page world whose Neo4j store counts the queries each request sends."""

from __future__ import annotations

from collections.abc import Iterator

import company_world
import httpx
import pytest
from api_support import LiveApi, api_settings
from page_support import PageApi, QueryCounter

from graph_api.app import create_app
from graph_api.auth import testing as auth_testing
from graphstore.local import free_port
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore


@pytest.fixture(scope="module")
def page_api(neo4j_settings: StoreSettings) -> Iterator[PageApi]:
    """An API on the company-page world, counting its Neo4j queries."""
    store = GraphStore()
    company_world.build(store, neo4j_settings)
    port = free_port()
    # a cold Neo4j on a loaded machine may plan a first query slowly: no outage for that
    settings = api_settings(port, SIGNAUX_API_NEO4J_CALL_TIMEOUT="60")
    app = create_app(settings)
    with auth_testing.live_server(app, port) as base_url, httpx.Client(timeout=30) as http:
        live = LiveApi(base_url, settings, http)
        warm = live.token("page-warm", agency="URSSAF-21", zones=("21",))
        assert "errors" not in live.gql(warm, "{ me { sub } }")  # the store is connected on the app's loop
        counter = QueryCounter()
        counter.wrap(app.state.database.store)
        yield PageApi(live, counter, store)
