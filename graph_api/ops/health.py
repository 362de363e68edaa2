"""``/health/live`` (the process answers) and ``/health/ready`` (Neo4j answers too)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from graph_api.db import Database


def health_routes(database: Database) -> list[BaseRoute]:
    """The two health endpoints; neither needs a token nor reveals more than up/down.

    Args:
        database: the app's Neo4j access (readiness pings it, bypassing the fail-fast gate).
    """

    async def live(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        if await database.ping():
            return JSONResponse({"status": "ready", "neo4j": "up"})
        return JSONResponse({"status": "unavailable", "neo4j": "down"}, status_code=503)

    return [
        Route("/health/live", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/health", live, methods=["GET"]),
    ]
