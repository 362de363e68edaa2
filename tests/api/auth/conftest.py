"""A live embedded authorization server (uvicorn, real HTTP) and a protected endpoint.

The server runs for the module; the ``store`` fixture of each test empties the
graph, so tests register the clients and agents they need through
``graph_api.auth.testing``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.auth import testing as auth_testing
from graph_api.auth.errors import AuthError
from graph_api.auth.resource_server import VALIDATOR_STATE_KEY, TokenValidator, auth_error_response, authenticate
from graph_api.auth.server import EmbeddedAuthorizationServer, authorization_server_routes
from graph_api.auth.settings import AuthSettings
from graphstore.driver import close_async_driver
from graphstore.local import free_port
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore


@dataclass(frozen=True)
class LiveAuth:
    """The running server: its URL, settings, authlib server object and validator."""

    base_url: str
    settings: AuthSettings
    server: EmbeddedAuthorizationServer
    validator: TokenValidator


async def whoami(request: Request) -> Response:
    """A protected endpoint: 200 with the principal, or the AuthError's status and code."""
    try:
        principal = await authenticate(request)
    except AuthError as exc:
        return auth_error_response(exc)
    return JSONResponse(
        {
            "sub": principal.sub,
            "name": principal.name,
            "agency": principal.agency,
            "zones": sorted(principal.zones),
            "roles": sorted(principal.roles),
            "scopes": sorted(principal.scopes),
            "client_id": principal.client_id,
            "is_service": principal.is_service,
        }
    )


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Closes the async Neo4j driver with the server: its connections belong to this loop."""
    yield
    await close_async_driver()


@pytest.fixture(scope="module")
def live_auth(neo4j_settings: StoreSettings) -> Iterator[LiveAuth]:
    """The embedded authorization server and ``/whoami`` on a free port."""
    port = free_port()
    settings = auth_testing.settings_for(port)
    server = EmbeddedAuthorizationServer(settings, GraphStore())
    validator = TokenValidator.from_settings(settings)
    app = Starlette(routes=[*authorization_server_routes(server=server), Route("/whoami", whoami)], lifespan=lifespan)
    setattr(app.state, VALIDATOR_STATE_KEY, validator)
    with auth_testing.live_server(app, port) as base_url:
        yield LiveAuth(base_url, settings, server, validator)
