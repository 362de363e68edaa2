"""Real tokens for tests: agents and clients in Neo4j, flows over HTTP against a live server.

Nothing here is mocked. A test starts the application (or just the authorization
server routes) in uvicorn with ``live_server``, creates agents with
``ensure_agent``, and obtains tokens by running the real flows:

.. code-block:: python

    from graph_api.auth import testing as auth_testing

    port = free_port()
    settings = auth_testing.settings_for(port)          # issuer = http://127.0.0.1:<port>
    app = Starlette(routes=authorization_server_routes(settings, store))  # or the full API app
    with auth_testing.live_server(app, port) as base_url:
        token = auth_testing.agent_token(
            base_url, store, "alice", agency="URSSAF-BFC", zones=("21",), roles=("urssaf",)
        )
        httpx.get(f"{base_url}/graphql", headers={"Authorization": f"Bearer {token}"})

``agent_token`` logs in through the HTML form (CSRF included) with the
authorization code + PKCE flow; ``service_token`` uses client credentials.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import uvicorn
from starlette.types import ASGIApp

from graph_api.auth import repository as repo
from graph_api.auth.metadata import AUTHORIZE_PATH, REVOKE_PATH, TOKEN_PATH
from graph_api.auth.models import AgentAccount, ClientKind, OAuthClient
from graph_api.auth.passwords import hash_secret
from graph_api.auth.seed import USER_SCOPES
from graph_api.auth.settings import AuthSettings
from graphstore.local import free_port
from graphstore.store import GraphStore

TEST_CLIENT_ID = "signaux-test-web"
# Never dereferenced: the flow reads the code from the redirect's Location header.
TEST_REDIRECT_URI = "http://127.0.0.1/test-callback"
DEFAULT_SCOPE = "openid signaux signaux:write"
_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class TokenSet:
    """A token endpoint response.

    Attributes:
        access_token: the JWT access token.
        refresh_token: the refresh token, if issued.
        id_token: the OpenID ID token, if ``openid`` was granted.
        expires_in: seconds.
        scope: the granted scopes.
        raw: the whole JSON response.
    """

    access_token: str
    refresh_token: str | None
    id_token: str | None
    expires_in: int
    scope: str
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_response(cls, response: httpx.Response) -> TokenSet:
        """Parses a 200 token response.

        Raises:
            AssertionError: the response is not a 200 with an access token.
        """
        assert response.status_code == 200, f"token endpoint answered {response.status_code}: {response.text}"
        body = response.json()
        return cls(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token"),
            id_token=body.get("id_token"),
            expires_in=int(body.get("expires_in", 0)),
            scope=body.get("scope", ""),
            raw=body,
        )


def settings_for(port: int, **env: str) -> AuthSettings:
    """Embedded-mode settings for a server on ``127.0.0.1:<port>``.

    Args:
        port: the port the server will listen on (issuer = ``http://127.0.0.1:<port>``).
        env: more ``SIGNAUX_AUTH_*`` variables, overriding the process environment.
    """
    values = {**os.environ, "SIGNAUX_PUBLIC_URL": f"http://127.0.0.1:{port}", **env}
    if "SIGNAUX_AUTH_ISSUER" not in env:
        # The embedded server is its own issuer; a developer's Keycloak setting must not leak in.
        values.pop("SIGNAUX_AUTH_ISSUER", None)
        values.pop("SIGNAUX_AUTH_EMBEDDED", None)
    return AuthSettings.from_env(values)


@contextmanager
def live_server(app: ASGIApp, port: int | None = None, timeout: float = 15.0) -> Iterator[str]:
    """Runs ``app`` in uvicorn on a background thread; yields its base URL.

    Args:
        app: the ASGI application.
        port: the port (a free one when omitted).
        timeout: seconds to wait for start-up.
    """
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


def pkce_pair() -> tuple[str, str]:
    """A PKCE ``(code_verifier, code_challenge)`` for S256."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def ensure_test_client(store: GraphStore, client_id: str = TEST_CLIENT_ID) -> OAuthClient:
    """Registers (idempotently) a public PKCE client redirecting to ``TEST_REDIRECT_URI``."""
    client = OAuthClient(
        client_id=client_id,
        name="Signaux — tests",
        kind=ClientKind.PUBLIC,
        secret_hash=None,
        redirect_uris=(TEST_REDIRECT_URI,),
        grant_types=("authorization_code", "refresh_token"),
        scopes=USER_SCOPES,
    )
    repo.upsert_client(store, client)
    return client


def ensure_service_client(
    store: GraphStore,
    client_id: str,
    secret: str,
    agency: str,
    zones: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    scopes: tuple[str, ...] = ("signaux", "signaux:write"),
) -> OAuthClient:
    """Registers (idempotently) a confidential client-credentials client."""
    repo.upsert_agency(store, agency, agency, "test")
    client = OAuthClient(
        client_id=client_id,
        name=client_id,
        kind=ClientKind.CONFIDENTIAL,
        secret_hash=hash_secret(secret),
        redirect_uris=(),
        grant_types=("client_credentials",),
        scopes=scopes,
        agency=agency,
        zones=zones,
        roles=roles,
    )
    repo.upsert_client(store, client)
    return client


def ensure_agent(
    store: GraphStore,
    sub: str,
    agency: str = "URSSAF-BFC",
    zones: tuple[str, ...] = ("21",),
    roles: tuple[str, ...] = (),
    name: str | None = None,
    password: str | None = None,
    agency_name: str | None = None,
) -> str:
    """Creates or updates an agent (and its agency if missing); returns its password.

    Args:
        store: the store.
        sub: the agent's id and login.
        agency: its agency code (created with ``agency_name`` when missing).
        zones: départements, ``R<region>`` or region aliases.
        roles: data roles and/or ``auditor``.
        name: display name (``sub`` when omitted).
        password: the password; a random one when omitted.
        agency_name: the agency's name if it has to be created.
    """
    if not store.read("MATCH (a:Agency {code: $c}) RETURN a.code AS c", {"c": agency}):
        repo.upsert_agency(store, agency, agency_name or agency, "test")
    password = password or secrets.token_urlsafe(12)
    repo.upsert_agent(store, AgentAccount(sub, name or sub, agency, tuple(zones), tuple(roles)), password)
    return password


def authorize_code(
    http: httpx.Client,
    base_url: str,
    username: str,
    password: str,
    client_id: str = TEST_CLIENT_ID,
    redirect_uri: str = TEST_REDIRECT_URI,
    scope: str = DEFAULT_SCOPE,
    challenge: str | None = None,
    challenge_method: str = "S256",
    state: str | None = None,
) -> httpx.Response:
    """Opens the login page and submits it; returns the final response (302 on success)."""
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state or secrets.token_urlsafe(8),
        "code_challenge_method": challenge_method,
    }
    if challenge is not None:
        params["code_challenge"] = challenge
    page = http.get(base_url + AUTHORIZE_PATH, params=params)
    if page.status_code != 200:
        return page
    match = _CSRF_RE.search(page.text)
    assert match, "the login page has no CSRF token"
    form = {**params, "csrf_token": match.group(1), "username": username, "password": password}
    return http.post(base_url + AUTHORIZE_PATH, data=form)


def code_from_redirect(response: httpx.Response) -> str:
    """The ``code`` of a successful authorization redirect."""
    assert response.status_code == 302, f"authorize answered {response.status_code}: {response.text[:300]}"
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert "code" in query, f"no code in redirect: {response.headers['location']}"
    return query["code"][0]


def login_with_pkce(
    base_url: str,
    username: str,
    password: str,
    client_id: str = TEST_CLIENT_ID,
    redirect_uri: str = TEST_REDIRECT_URI,
    scope: str = DEFAULT_SCOPE,
) -> TokenSet:
    """Runs authorize → login → code → token for an agent, over HTTP."""
    verifier, challenge = pkce_pair()
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        code = code_from_redirect(
            authorize_code(http, base_url, username, password, client_id, redirect_uri, scope, challenge)
        )
        response = http.post(
            base_url + TOKEN_PATH,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
        )
    return TokenSet.from_response(response)


def agent_token(
    base_url: str,
    store: GraphStore,
    sub: str,
    agency: str = "URSSAF-BFC",
    zones: tuple[str, ...] = ("21",),
    roles: tuple[str, ...] = (),
    scope: str = DEFAULT_SCOPE,
    name: str | None = None,
) -> str:
    """Creates/updates the agent and returns a real access token for it (code + PKCE flow)."""
    ensure_test_client(store)
    password = ensure_agent(store, sub, agency, zones, roles, name)
    return login_with_pkce(base_url, sub, password, scope=scope).access_token


def service_token(
    base_url: str,
    store: GraphStore,
    client_id: str = "signaux-test-service",
    agency: str = "DGE",
    zones: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    scope: str = "signaux signaux:write",
) -> str:
    """Registers a service client and returns a real client-credentials access token."""
    secret = secrets.token_urlsafe(24)
    ensure_service_client(store, client_id, secret, agency, zones, roles)
    response = httpx.post(
        base_url + TOKEN_PATH,
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(client_id, secret),
        timeout=30,
    )
    return TokenSet.from_response(response).access_token


def refresh(base_url: str, refresh_token: str, client_id: str = TEST_CLIENT_ID) -> httpx.Response:
    """Calls the token endpoint with a refresh token (the raw response, to test failures)."""
    return httpx.post(
        base_url + TOKEN_PATH,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
        timeout=30,
    )


def revoke(base_url: str, token: str, client_id: str = TEST_CLIENT_ID, hint: str | None = None) -> httpx.Response:
    """Calls the revocation endpoint as a public client."""
    data = {"token": token, "client_id": client_id}
    if hint:
        data["token_type_hint"] = hint
    return httpx.post(base_url + REVOKE_PATH, data=data, timeout=30)
