"""What every file export (``GET /exports/...``) shares: the gate, the request context and the error answers.

An export is reached with the same bearer token as GraphQL, through the same
gate (401 with ``WWW-Authenticate``, per-token rate limit). A domain's export
subclasses ``FileExport`` and writes only ``produce``; its refusals come back as
a GraphQL-shaped error body with the matching HTTP status, and nothing it
produces is cached by the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from graph_api.context import RequestContext
from graph_api.errors import ApiError, ErrorCode, error_body
from graph_api.http.gate import AuthGate
from graph_api.ops.request_id import new_request_id
from graphstore.errors import StoreUnavailable

if TYPE_CHECKING:
    from graph_api.auth.resource_server import TokenValidator
    from graph_api.hardening.ratelimit import RateLimiter
    from graph_api.http.view import GraphQLView
    from graph_api.ops.metrics import Metrics

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
_STATUS = {ErrorCode.FORBIDDEN: 403, ErrorCode.BAD_USER_INPUT: 400, ErrorCode.SERVICE_UNAVAILABLE: 503}


class FileExport:
    """The ASGI endpoint behind the auth gate; the principal is in ``scope['state']``.

    Args:
        view: the GraphQL view (its settings, database and measure store are shared).
    """

    def __init__(self, view: GraphQLView) -> None:
        self.view = view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.answer(request)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """The file, or a GraphQL-shaped error body with its HTTP status."""
        state = request.scope.get("state", {})
        try:
            ctx = RequestContext(
                request=request,
                response=None,
                settings=self.view.settings,
                store=self.view.database.store,
                measures=self.view.measures,
                request_id=state.get("request_id") or new_request_id(),
                principal=state.get("principal"),
            )
            return await self.produce(request, ctx)
        except ApiError as error:
            status = _STATUS.get(error.code, 500)
            body = {"errors": [{"message": error.message, "extensions": error.extensions}]}
            return JSONResponse(body, status_code=status, headers=NO_STORE)
        except StoreUnavailable:
            return JSONResponse(error_body(ErrorCode.SERVICE_UNAVAILABLE), status_code=503, headers=NO_STORE)

    async def produce(self, request: Request, ctx: RequestContext) -> Response:
        """The file (with ``NO_STORE`` among its headers).

        Raises:
            ApiError: a refusal, answered with its status.
        """
        raise NotImplementedError


def export_route(
    path: str, export: FileExport, validator: TokenValidator, limiter: RateLimiter, metrics: Metrics
) -> BaseRoute:
    """``GET path`` to ``export``, behind the same authentication gate and rate limit as ``/graphql``."""
    return Route(path, AuthGate(export, validator, limiter, metrics, graphiql=False), methods=["GET"])
