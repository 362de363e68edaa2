"""The built-in OAuth 2.0 / OpenID Connect authorization server (embedded mode and tests).

authlib's framework-agnostic ``AuthorizationServer`` does the protocol work; this
module adapts Starlette requests to it and exposes the endpoints as Starlette routes
(``authorization_server_routes``). authlib is synchronous and so is the Neo4j access
it drives, so each call runs in the thread pool, off the event loop.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from graph_api.auth import repository as repo
from graph_api.auth.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    S256CodeChallenge,
)
from graph_api.auth.keys import load_or_create_secret, load_or_create_signing_key, previous_public_keys
from graph_api.auth.login import CSRF_FIELD, OAUTH_FIELDS, SECURITY_HEADERS, LoginPage, LoginThrottle
from graph_api.auth.metadata import (
    AUTHORIZE_PATH,
    JWKS_PATH,
    OAUTH_METADATA_PATH,
    OPENID_CONFIGURATION_PATH,
    REVOKE_PATH,
    SCOPES_SUPPORTED,
    TOKEN_PATH,
    server_metadata,
)
from graph_api.auth.models import GrantSubject, OAuthClient, RefreshToken
from graph_api.auth.passwords import token_hash
from graph_api.auth.revocation_endpoint import RevocationEndpoint
from graph_api.auth.settings import AuthSettings, get_auth_settings
from graph_api.auth.tokens import TokenIssuer, new_opaque_token
from graphstore.errors import StoreUnavailable
from graphstore.store import GraphStore

log = logging.getLogger(__name__)
T = TypeVar("T")

_MAX_FORM_BYTES = 16 * 1024
# Expired codes, refresh tokens and revocations are purged at most this often.
_PURGE_INTERVAL = 3600.0


class _Payload(OAuth2Payload):  # type: ignore[misc]  # authlib is untyped
    """Request parameters keeping repeated values, so authlib can refuse duplicates."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for k, v in items:
            self._datalist[k].append(v)
        self._data = {k: v[0] for k, v in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class StarletteOAuth2Request(OAuth2Request):  # type: ignore[misc]
    """A Starlette request, its body already read, in the shape authlib expects."""

    def __init__(
        self, method: str, uri: str, headers: Headers, query: list[tuple[str, str]], form: list[tuple[str, str]]
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = dict(query)
        self._form = dict(form)
        self.payload = _Payload(query + form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


async def to_oauth2_request(
    request: Request, settings: AuthSettings, only: tuple[str, ...] | None = None
) -> StarletteOAuth2Request:
    """Reads a Starlette request into an authlib request.

    Args:
        request: the request.
        settings: for the public URL (authlib checks the scheme of the URI).
        only: keep only these form fields (the login form also carries credentials).
    """
    form: list[tuple[str, str]] = []
    if request.method == "POST":
        if int(request.headers.get("content-length") or 0) > _MAX_FORM_BYTES:
            raise OAuth2Error("request too large", status_code=413)
        data = await request.form(max_files=0, max_fields=64)
        form = [(k, v) for k, v in data.multi_items() if isinstance(v, str) and (only is None or k in only)]
    query = list(request.query_params.multi_items())
    uri = settings.public_url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return StarletteOAuth2Request(request.method, uri, request.headers, query, form)


class EmbeddedAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """authlib's authorization server over Neo4j, issuing RS256 JWT access tokens.

    Args:
        settings: issuer, audience, lifetimes, key folder.
        store: the graph store; the process-wide one when omitted.
        clock: Unix seconds.
    """

    def __init__(
        self, settings: AuthSettings, store: GraphStore | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(scopes_supported=list(SCOPES_SUPPORTED))
        self.settings = settings
        self.store = store or GraphStore()
        self.clock = clock
        self.signing_key = load_or_create_signing_key(settings.key_dir)
        self.issuer = TokenIssuer(settings, self.signing_key, clock)
        self.register_token_generator("default", self._generate_token)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_grant(ClientCredentialsGrant)
        self.register_endpoint(RevocationEndpoint)

    # --- storage --------------------------------------------------------------
    def repo_call(self, fn: Callable[..., T], *args: Any) -> T:
        """Calls a ``repository`` function with this server's store."""
        return fn(self.store, *args)

    def query_client(self, client_id: str) -> OAuthClient | None:
        """The registered client, or None."""
        return repo.get_client(self.store, client_id)

    def revoke_grant(self, grant_id: str, reason: str) -> None:
        """Revokes every token of a grant."""
        repo.revoke_grant(self.store, grant_id, self.settings.access_token_ttl, reason)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Stores the refresh token, if any; access tokens are JWTs and are not stored."""
        refresh = token.get("refresh_token")
        subject: GrantSubject | None = request.user
        if not refresh or subject is None or subject.agent is None:
            return
        now = int(self.clock())
        repo.save_refresh_token(
            self.store,
            RefreshToken(
                id=token_hash(refresh),
                client_id=request.client.client_id,
                sub=subject.agent.sub,
                scope=token.get("scope", ""),
                grant_id=subject.grant_id,
                expires_at=now + self.settings.refresh_token_ttl,
                issued_at=now,
            ),
        )

    def _generate_token(
        self,
        grant_type: str,
        client: OAuthClient,
        user: GrantSubject | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        granted = client.get_allowed_scope(scope)
        issued = self.issuer.access_token(client, user, granted, expires_in)
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": issued.token,
            "expires_in": issued.expires_at - int(self.clock()),
            "scope": granted,
        }
        if include_refresh_token and user is not None and user.agent is not None:
            token["refresh_token"] = new_opaque_token()
        return token

    # --- framework glue -------------------------------------------------------
    def create_oauth2_request(self, request: Any) -> Any:
        """Requests are converted before reaching authlib (their body is read async)."""
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        """An authlib result as a Starlette response."""
        hdrs = dict(headers or [])
        if isinstance(body, dict):
            hdrs.setdefault("Cache-Control", "no-store")
            return JSONResponse(body, status_code=status, headers=hdrs)
        return Response(body or "", status_code=status, headers=hdrs)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib signals are not used."""

    def jwks(self) -> dict[str, Any]:
        """The public keys: the current one and retired ones still verifying tokens."""
        return {"keys": [self.signing_key.public_jwk(), *previous_public_keys(self.settings.key_dir)]}


Handler = Callable[[Request], Awaitable[Response]]


def _unavailable_guard(handler: Handler) -> Handler:
    """Answers 503 ``temporarily_unavailable`` (RFC 6749 §4.1.2.1) while Neo4j is away."""

    @wraps(handler)
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except StoreUnavailable:
            log.warning("authorization server: Neo4j unavailable for %s", request.url.path)
            return JSONResponse(
                {"error": "temporarily_unavailable", "error_description": "the service is unavailable, retry"},
                status_code=503,
                headers={"Retry-After": "5", "Cache-Control": "no-store"},
            )

    return guarded


class _Endpoints:
    """The HTTP handlers of the server."""

    def __init__(self, server: EmbeddedAuthorizationServer) -> None:
        self.server = server
        self.settings = server.settings
        self.metadata = server_metadata(server.settings)
        self.login = LoginPage(server.settings, load_or_create_secret(server.settings.key_dir))
        self.throttle = LoginThrottle(server.settings.login_max_failures, server.settings.login_window)
        self._last_purge = float("-inf")

    async def _housekeeping(self) -> None:
        # Piggybacks on token requests so the embedded mode needs no scheduler.
        now = time.monotonic()
        if now - self._last_purge < _PURGE_INTERVAL:
            return
        self._last_purge = now
        try:
            await run_in_threadpool(repo.purge_expired, self.server.store)
        except Exception as exc:  # housekeeping must never fail a token request
            log.warning("purging expired OAuth records failed: %s", exc)

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(self.metadata, headers={"Cache-Control": "public, max-age=300"})

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self.server.jwks(), headers={"Cache-Control": "public, max-age=300"})

    async def token(self, request: Request) -> Response:
        await self._housekeeping()
        try:
            oauth_request = await to_oauth2_request(request, self.settings)
        except OAuth2Error as error:
            return self.server.handle_response(*error())
        response: Response = await run_in_threadpool(self.server.create_token_response, oauth_request)
        return response

    async def revoke(self, request: Request) -> Response:
        try:
            oauth_request = await to_oauth2_request(request, self.settings)
        except OAuth2Error as error:
            return self.server.handle_response(*error())
        response: Response = await run_in_threadpool(
            self.server.create_endpoint_response, RevocationEndpoint.ENDPOINT_NAME, oauth_request
        )
        return response

    async def authorize(self, request: Request) -> Response:
        """GET shows the login form; POST checks CSRF and credentials, then redirects with a code."""
        try:
            oauth_request = await to_oauth2_request(request, self.settings, only=OAUTH_FIELDS)
        except OAuth2Error as error:
            return self.server.handle_response(*error())
        try:
            grant = await run_in_threadpool(self.server.get_consent_grant, oauth_request, None)
        except OAuth2Error as error:
            # authlib redirects to the client only when the client and URI were validated.
            response: Response = self.server.handle_error_response(oauth_request, error)
            response.headers.update(SECURITY_HEADERS)
            return response
        params = dict(oauth_request.payload.data)
        client: OAuthClient = grant.request.client
        if request.method == "GET":
            return self.login.render(AUTHORIZE_PATH, params, client.name)

        form = await request.form()
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        if not self.login.csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            return self.login.render(
                AUTHORIZE_PATH, params, client.name, username, "Formulaire expiré, recommencez.", 400
            )
        if not self.throttle.allowed(username):
            return self.login.render(
                AUTHORIZE_PATH, params, client.name, username, "Trop d'essais, réessayez plus tard.", 429
            )
        agent = await run_in_threadpool(repo.check_password, self.server.store, username, password)
        if agent is None:
            self.throttle.failed(username)
            log.info("failed login for %r", username)
            return self.login.render(
                AUTHORIZE_PATH, params, client.name, username, "Identifiant ou mot de passe incorrect.", 401
            )
        self.throttle.succeeded(username)
        subject = GrantSubject(agent, new_opaque_token(), params.get("nonce"), int(self.server.clock()))
        response = await run_in_threadpool(self.server.create_authorization_response, oauth_request, subject, grant)
        response.headers.update(SECURITY_HEADERS)
        return response


def build_authorization_server(
    settings: AuthSettings | None = None, store: GraphStore | None = None
) -> EmbeddedAuthorizationServer:
    """The server object (its signing key is created on first start).

    Args:
        settings: the settings; the process-wide ones when omitted.
        store: the graph store; the process-wide one when omitted.
    """
    return EmbeddedAuthorizationServer(settings or get_auth_settings(), store)


def authorization_server_routes(
    settings: AuthSettings | None = None,
    store: GraphStore | None = None,
    server: EmbeddedAuthorizationServer | None = None,
) -> list[BaseRoute]:
    """The routes to mount at the root of the API application (embedded mode).

    ``/.well-known/openid-configuration``, ``/.well-known/oauth-authorization-server``,
    ``/oauth/jwks``, ``/oauth/authorize`` (GET, POST), ``/oauth/token`` and
    ``/oauth/revoke`` (POST).

    Args:
        settings: the settings; the process-wide ones when omitted.
        store: the graph store; the process-wide one when omitted.
        server: an already built server (to share it with tests or the CLI).
    """
    server = server or build_authorization_server(settings, store)
    ep = _Endpoints(server)
    return [
        Route(OPENID_CONFIGURATION_PATH, ep.discovery, methods=["GET"]),
        Route(OAUTH_METADATA_PATH, ep.discovery, methods=["GET"]),
        Route(JWKS_PATH, ep.jwks, methods=["GET"]),
        Route(AUTHORIZE_PATH, _unavailable_guard(ep.authorize), methods=["GET", "POST"]),
        Route(TOKEN_PATH, _unavailable_guard(ep.token), methods=["POST"]),
        Route(REVOKE_PATH, _unavailable_guard(ep.revoke), methods=["POST"]),
    ]
