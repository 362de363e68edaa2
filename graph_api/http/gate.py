"""Authenticates every GraphQL HTTP request and applies the per-token rate limit.

Runs in front of the strawberry view, so no GraphQL work (not even parsing)
happens for a caller without a valid token: no token or an invalid one is a 401
with ``WWW-Authenticate`` (RFC 6750), a token over its rate a 429 with
``Retry-After``. The principal is left in ``request.state.principal``.
"""

from __future__ import annotations

import hashlib
import math

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_api.auth.errors import AuthError
from graph_api.auth.principal import Principal
from graph_api.auth.resource_server import TokenValidator, bearer_token
from graph_api.errors import ErrorCode, error_body
from graph_api.hardening.ratelimit import RateLimiter
from graph_api.ops.metrics import Metrics
from graphstore.errors import StoreUnavailable

_AUTH_CODE = {401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN, 503: ErrorCode.SERVICE_UNAVAILABLE}


def auth_failure(error: AuthError) -> JSONResponse:
    """The HTTP answer to a failed authentication: GraphQL-shaped body, RFC 6750 header.

    Args:
        error: the validator's error.
    """
    code = _AUTH_CODE.get(error.status, ErrorCode.UNAUTHENTICATED)
    body = error_body(code, error.message)
    body["errors"][0]["extensions"]["reason"] = error.code
    return JSONResponse(
        body,
        status_code=error.status,
        headers={"WWW-Authenticate": error.www_authenticate(), "Cache-Control": "no-store"},
    )


def rate_key(principal: Principal, token: str) -> str:
    """The rate-limit bucket of a token: its ``jti``, else a digest of the token itself."""
    return principal.token_id or hashlib.sha256(token.encode()).hexdigest()


class AuthGate:
    """ASGI wrapper putting authentication and the rate limit in front of ``app``.

    Args:
        app: the GraphQL view.
        validator: checks bearer tokens.
        limiter: the per-token rate limiter.
        metrics: the app's metrics.
        graphiql: let a browser's plain ``GET`` (``Accept: text/html``, no query)
            through without a token, to load the GraphiQL page; the page then
            sends the token with each query.
    """

    def __init__(
        self, app: ASGIApp, validator: TokenValidator, limiter: RateLimiter, metrics: Metrics, graphiql: bool
    ) -> None:
        self.app = app
        self.validator = validator
        self.limiter = limiter
        self.metrics = metrics
        self.graphiql = graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # WebSockets authenticate in connection_init (GraphQLView.on_ws_connect).
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if self._is_ide_page(request):
            await self.app(scope, receive, send)
            return
        try:
            token = bearer_token(request)
            principal = await self.validator.validate(token)
        except AuthError as error:
            await auth_failure(error)(scope, receive, send)
            return
        except StoreUnavailable:
            # The embedded issuer checks revocations in Neo4j.
            response = JSONResponse(error_body(ErrorCode.SERVICE_UNAVAILABLE), status_code=503)
            await response(scope, receive, send)
            return
        wait = self.limiter.acquire(rate_key(principal, token))
        if wait > 0:
            self.metrics.rate_limited.inc()
            response = JSONResponse(
                error_body(ErrorCode.RATE_LIMITED, "Too many requests for this token."),
                status_code=429,
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
            await response(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["principal"] = principal
        state["sub"] = principal.sub
        state["client_id"] = principal.client_id
        await self.app(scope, receive, send)

    def _is_ide_page(self, request: Request) -> bool:
        return (
            self.graphiql
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
        )
