"""The strawberry view: builds each request's context, authenticates WebSockets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from graph_api.auth.errors import AuthError
from graph_api.auth.resource_server import TokenValidator
from graph_api.context import RequestContext
from graph_api.db import Database
from graph_api.http.bearer import connection_token
from graph_api.ops.request_id import new_request_id
from graph_api.settings import ApiSettings
from graphstore.errors import StoreUnavailable
from graphstore.measures import MeasureStore

GRAPHQL_RESPONSE = "application/graphql-response+json"


class GraphQLView(GraphQL[RequestContext, None]):
    """``strawberry.asgi.GraphQL`` with this API's context and WebSocket authentication.

    Args:
        schema: the schema.
        settings: the API settings.
        database: the app's Neo4j access.
        measures: the measure store.
        validator: checks bearer tokens (WebSocket ``connection_init``).
        ws_origins: origins allowed to open a WebSocket.
    """

    def __init__(
        self,
        schema: BaseSchema,
        settings: ApiSettings,
        database: Database,
        measures: MeasureStore,
        validator: TokenValidator,
        ws_origins: Sequence[str],
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=settings.queries_over_get,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
            allowed_origins=tuple(ws_origins),
        )
        self.settings = settings
        self.database = database
        self.measures = measures
        self.validator = validator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # As strawberry's own __call__, plus the graphql-response+json conversion.
        request = Request(scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as e:
            response = PlainTextResponse(e.reason, status_code=e.status_code)
        await _as_graphql_response(request, response)(scope, receive, send)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        state = request.scope.get("state", {})
        try:
            store = self.database.store
        except StoreUnavailable:
            # The context is still built; the first store call raises the outage,
            # answered as SERVICE_UNAVAILABLE by the error policy.
            store = _UnavailableStore()  # type: ignore[assignment]
        return RequestContext(
            request=request,
            response=response,
            settings=self.settings,
            store=store,
            measures=self.measures,
            request_id=state.get("request_id") or new_request_id(),
            principal=state.get("principal"),
        )

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        token = connection_token(context.connection_params)
        if token is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        try:
            context.principal = await self.validator.validate(token)
        except (AuthError, StoreUnavailable):
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"}) from None
        return await super().on_ws_connect(context)


def _as_graphql_response(request: Request, response: Response) -> Response:
    """Speaks ``application/graphql-response+json`` to clients that accept it.

    The GraphQL-over-HTTP spec's newer media type lets a client tell request
    errors (unparsable or invalid document, bad variables: HTTP 400, no ``data``)
    from field errors (HTTP 200, ``data`` present). Strawberry answers
    ``application/json`` only; this converts its answer for those clients.
    """
    if GRAPHQL_RESPONSE not in request.headers.get("accept", "") or response.media_type != "application/json":
        return response
    try:
        body = json.loads(bytes(response.body))
    except ValueError:
        return response
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    status = response.status_code
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors and body.get("data") is None and all(not e.get("path") for e in errors):
        # A request error: the operation never started.
        body.pop("data", None)
        status = 400
    return Response(json.dumps(body), status_code=status, headers=headers, media_type=GRAPHQL_RESPONSE)


class _UnavailableStore:
    """Stands in for the store when the connection cannot even be configured."""

    def __getattr__(self, name: str) -> Any:
        async def fail(*_: Any, **__: Any) -> Any:
            raise StoreUnavailable("Neo4j is unavailable")

        return fail
