"""Helpers of the API tests: a live API (uvicorn on a free port) on the real Neo4j, real tokens.

Tokens come from the API's own embedded authorization server through the real
authorization code + PKCE flow (``graph_api.auth.testing``); nothing is mocked.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from neo4j import AsyncGraphDatabase

from graph_api.app import create_app
from graph_api.auth import testing as auth_testing
from graph_api.settings import ApiSettings
from graphstore.connection import resolve_connection
from graphstore.local import free_port
from graphstore.settings import get_settings
from graphstore.store import AsyncGraphStore, GraphStore


def api_settings(port: int, **env: str) -> ApiSettings:
    """Settings for an API on ``127.0.0.1:<port>`` that is its own token issuer.

    Args:
        port: the port the server will listen on.
        env: more variables (``SIGNAUX_ENV``, ``SIGNAUX_API_MAX_DEPTH``…), overriding the environment.
    """
    values = {**os.environ, "SIGNAUX_PUBLIC_URL": f"http://127.0.0.1:{port}", "SIGNAUX_API_PORT": str(port), **env}
    if "SIGNAUX_AUTH_ISSUER" not in env:
        values.pop("SIGNAUX_AUTH_ISSUER", None)
        values.pop("SIGNAUX_AUTH_EMBEDDED", None)
    return ApiSettings.from_env(values)


@dataclass
class LiveApi:
    """A running API and helpers to call it as a given agent."""

    base_url: str
    settings: ApiSettings
    http: httpx.Client
    _tokens: dict[tuple[Any, ...], str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The GraphQL endpoint."""
        return f"{self.base_url}/graphql"

    def token(
        self,
        sub: str,
        agency: str = "URSSAF-BFC",
        zones: tuple[str, ...] = ("21",),
        roles: tuple[str, ...] = (),
        scope: str = auth_testing.DEFAULT_SCOPE,
    ) -> str:
        """A real access token for an agent (created if needed), cached for this server."""
        key = (sub, agency, zones, roles, scope)
        if key not in self._tokens:
            store = GraphStore()
            self._tokens[key] = auth_testing.agent_token(
                self.base_url, store, sub, agency=agency, zones=zones, roles=roles, scope=scope
            )
        return self._tokens[key]

    def post(self, token: str | None, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        """POSTs a GraphQL operation (with a bearer token when given); the raw response."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kw.pop("headers", {}))
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        body.update(kw.pop("extra", {}))
        return self.http.post(self.url, json=body, headers=headers, **kw)

    def gql(self, token: str | None, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POSTs an operation and returns the JSON body (asserting a 200)."""
        response = self.post(token, query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@contextmanager
def running_api(**env: str) -> Iterator[LiveApi]:
    """Starts an API with ``env`` overrides; stops it on exit."""
    port = free_port()
    settings = api_settings(port, **env)
    app = create_app(settings)
    with auth_testing.live_server(app, port) as base_url, httpx.Client(timeout=30) as http:
        yield LiveApi(base_url, settings, http)


def codes(body: dict[str, Any]) -> list[str]:
    """The ``extensions.code`` of every error of a GraphQL response."""
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


def error_paths(body: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    """Error code by path."""
    return {tuple(e.get("path") or ()): e.get("extensions", {}).get("code") for e in body.get("errors") or []}


@asynccontextmanager
async def async_store() -> AsyncIterator[AsyncGraphStore]:
    """A store on its own driver, bound to the running event loop (a "process" of its own)."""
    info = resolve_connection(get_settings())
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password), notifications_min_severity="OFF")
    try:
        yield AsyncGraphStore(driver=driver, database=info.database)
    finally:
        await driver.close()
