"""Gives every HTTP request an id, logs one access line per request, and times it."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.ops.logging import request_id_var

log = logging.getLogger("signaux.api.access")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "x-request-id"


def new_request_id() -> str:
    """A fresh request id."""
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets ``scope["state"]["request_id"]``, the ``X-Request-Id`` response header and an access log line.

    Args:
        app: the wrapped application.
        trust_client_id: reuse a well-formed ``X-Request-Id`` sent by the client
            (only behind a proxy that sets it).
    """

    def __init__(self, app: ASGIApp, trust_client_id: bool = False) -> None:
        self.app = app
        self.trust_client_id = trust_client_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = None
        if self.trust_client_id:
            sent = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
            rid = sent if _SAFE_ID.match(sent) else None
        rid = rid or new_request_id()
        scope.setdefault("state", {})["request_id"] = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            state = scope.get("state", {})
            log.info(
                "%s %s %s",
                scope.get("method", "WS"),
                scope.get("path", ""),
                status,
                extra={
                    "request_id": rid,
                    "method": scope.get("method", "WS"),
                    "path": scope.get("path", ""),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "sub": state.get("sub"),
                    "client_id": state.get("client_id"),
                    "operation": state.get("operation"),
                },
            )
            request_id_var.reset(token)
