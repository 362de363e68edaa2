"""``create_app``: the Starlette application serving the API.

Routes: ``/graphql`` (HTTP and ``graphql-transport-ws``), ``/health/live``,
``/health/ready``, ``/metrics`` and, in embedded mode, the built-in OAuth
authorization server (discovery, JWKS, authorize, token, revoke). Middleware, from
the outside in: request id and access log, body size limit, CORS.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator, Sequence
from functools import partial

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route, WebSocketRoute

from graph_api.auth.resource_server import VALIDATOR_STATE_KEY, TokenValidator
from graph_api.auth.revocation import revoked_among
from graph_api.batching import Coalescer
from graph_api.db import Database
from graph_api.detection.export import export_routes
from graph_api.exposure.export import export_routes as exposure_export_routes
from graph_api.hardening.body_limit import BodySizeLimit
from graph_api.hardening.ratelimit import RateLimiter
from graph_api.http.gate import AuthGate
from graph_api.http.view import GraphQLView
from graph_api.notifications.lifespan import notification_dispatcher
from graph_api.ops.health import health_routes
from graph_api.ops.logging import configure_logging
from graph_api.ops.metrics import Metrics, MetricsExtension, metrics_endpoint
from graph_api.ops.request_id import RequestIdMiddleware
from graph_api.schema import build_schema
from graph_api.settings import ApiSettings, get_api_settings
from graphstore.measures import MeasureStore

GC_THRESHOLDS = (5_000, 20, 100)
"""The garbage collector's thresholds while serving (CPython's are 700, 10, 10): a request
allocates thousands of objects, nearly all freed by reference counting, yet with the
defaults the collector ran about 2 ms per request and a full pass (up to 0.5 s, every
request in flight waiting) came every few seconds under load; with these and the frozen
start-up heap, half the collector time and no full pass in the same run
(docs/api-benchmark.md)."""


class _Revocations:
    """Revocation checks through the app's own guarded store (fail fast, right event loop).

    The checks of concurrent requests share one read (``graph_api.batching``): each
    request's check runs in a transaction that began after the request arrived,
    so a token revoked before it is refused; nothing is cached.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._batches: Coalescer[list[str], bool] = Coalescer(self._check)

    async def _check(self, requests: list[list[str]]) -> list[bool]:
        revoked = await revoked_among(self.database.store, [i for ids in requests for i in ids])
        return [any(i in revoked for i in ids) for ids in requests]

    async def is_revoked(self, ids: Sequence[str]) -> bool:
        if not ids:
            return False
        return await self._batches.submit(list(ids))


def _auth_routes(settings: ApiSettings) -> list[BaseRoute]:
    if not settings.auth.embedded:
        return []
    # Imported here: the authorization server pulls authlib's grant machinery,
    # which a resource-server-only deployment does not need.
    from graph_api.auth.server import authorization_server_routes

    return authorization_server_routes(settings.auth)


def create_app(settings: ApiSettings | None = None) -> Starlette:
    """The API application.

    Args:
        settings: the settings; the process-wide ones (environment) when omitted.

    Returns:
        A Starlette app; its ``state`` holds ``settings``, ``metrics``,
        ``database`` and ``token_validator``.
    """
    settings = settings or get_api_settings()
    configure_logging(settings.log_level)
    metrics = Metrics()
    database = Database(settings, metrics)
    measures = MeasureStore(settings.store.measures_dir)
    validator = TokenValidator(settings.auth, revocations=_Revocations(database) if settings.auth.embedded else None)
    schema = build_schema(settings, extra_extensions=[partial(MetricsExtension, metrics)])
    view = GraphQLView(schema, settings, database, measures, validator, settings.ws_origins)
    limiter = RateLimiter(settings.limits.rate_per_minute, settings.limits.rate_burst)
    graphql = AuthGate(view, validator, limiter, metrics, graphiql=settings.graphiql)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # What the app built at start-up (schema, modules, settings) lives as long as
        # the process: kept out of the garbage collector's full passes, which otherwise
        # walk it again and again and stall every request in flight (up to 0.5 s
        # under load, docs/api-benchmark.md).
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        await database.start()
        try:
            async with notification_dispatcher(settings):
                yield
        finally:
            await database.close()

    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        *health_routes(database),
        Route("/metrics", metrics_endpoint(metrics), methods=["GET"]),  # type: ignore[arg-type]
        *_auth_routes(settings),
        *export_routes(view, validator, limiter, metrics),
        *exposure_export_routes(view, validator, limiter, metrics),
    ]
    middleware = [
        Middleware(RequestIdMiddleware, trust_client_id=settings.trust_request_id),
        Middleware(BodySizeLimit, max_bytes=settings.limits.max_body_bytes),
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-Id"],
            expose_headers=["X-Request-Id", "Retry-After", "WWW-Authenticate"],
            max_age=600,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.database = database
    setattr(app.state, VALIDATOR_STATE_KEY, validator)
    return app
