"""WebSocket (graphql-transport-ws) entry: allowed origins, token in connection_init."""

from __future__ import annotations

import json

import pytest
from api_support import LiveApi
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

PROTOCOL = "graphql-transport-ws"
ALLOWED_ORIGIN = "http://localhost:3000"  # in the embedded defaults


def _ws_url(api: LiveApi) -> str:
    return api.url.replace("http://", "ws://")


def test_disallowed_origin_is_refused_at_handshake(api: LiveApi) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(_ws_url(api), subprotocols=[PROTOCOL], origin="https://evil.example.com", open_timeout=20)  # type: ignore[list-item,arg-type]
    assert refused.value.response.status_code == 403


def test_connection_init_needs_a_valid_token(api: LiveApi) -> None:
    for payload in ({}, {"Authorization": "Bearer not-a-token"}):
        with connect(_ws_url(api), subprotocols=[PROTOCOL], origin=ALLOWED_ORIGIN, open_timeout=20) as ws:  # type: ignore[list-item,arg-type]
            ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=20)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


def test_authenticated_socket_runs_operations_as_the_caller(api: LiveApi) -> None:
    token = api.token("ws-agent", agency="WS-AGENCY")
    with connect(_ws_url(api), subprotocols=[PROTOCOL], origin=ALLOWED_ORIGIN, open_timeout=20) as ws:  # type: ignore[list-item,arg-type]
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(ws.recv(timeout=20))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ me { sub agency } }"}}))
        message = json.loads(ws.recv(timeout=20))
        assert message == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"me": {"sub": "ws-agent", "agency": "WS-AGENCY"}}},
        }
        assert json.loads(ws.recv(timeout=20)) == {"id": "1", "type": "complete"}
