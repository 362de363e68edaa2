"""The bearer token of a WebSocket's ``connection_init`` payload."""

from __future__ import annotations

from typing import Any


def connection_token(params: dict[str, Any] | None) -> str | None:
    """The token a ``graphql-transport-ws`` client sent in ``connection_init``.

    Browsers cannot set headers on a WebSocket, so graphql-ws clients send
    ``{"Authorization": "Bearer …"}`` (or a bare token) as the payload; the view
    authenticates the connection with it, and live subscriptions re-check it.

    Args:
        params: the ``connection_init`` payload; None or empty when none was sent.
    """
    if not params:
        return None
    raw = params.get("Authorization") or params.get("authorization") or params.get("token")
    if not isinstance(raw, str):
        return None
    scheme, _, rest = raw.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" else raw.strip() or None
