"""Helpers of the live-update tests: a graphql-transport-ws client and graph writers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from api_support import LiveApi
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from graphstore.store import GraphStore

PROTOCOL = "graphql-transport-ws"
ORIGIN = "http://localhost:3000"  # in the embedded defaults
WAIT = 60.0  # generous upper bound for one message; tests never assert durations


class Socket:
    """One authenticated graphql-transport-ws connection."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.skip_probes = False

    def subscribe(self, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
        """Starts an operation."""
        payload: dict[str, Any] = {"query": query}
        if variables:
            payload["variables"] = variables
        self.ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))

    def receive(self, timeout: float = WAIT) -> dict[str, Any]:
        """The next message (pings answered, late probes skipped once synchronised)."""
        while True:
            raw = self.ws.recv(timeout=timeout)
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "ping":
                self.ws.send(json.dumps({"type": "pong"}))
                continue
            if self.skip_probes and "probe-" in raw:
                continue
            return message

    def next_data(self, op_id: str) -> dict[str, Any]:
        """The data of the next ``next`` message of ``op_id`` (fails on anything else)."""
        message = self.receive()
        assert message.get("id") == op_id and message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    def error_codes(self, op_id: str) -> list[str]:
        """The error codes of the next message of ``op_id``, an ``error`` or a ``next`` with errors."""
        message = self.receive()
        assert message.get("id") == op_id, message
        if message["type"] == "error":
            errors = message["payload"]
        else:
            assert message["type"] == "next", message
            errors = message["payload"].get("errors") or []
        return [e["extensions"]["code"] for e in errors]


def sync(ws: Socket, op_id: str, write_probe: Callable[[str], None]) -> None:
    """Returns once the subscription ``op_id`` is running (its cursor taken).

    Operations of one connection run concurrently, so nothing on the socket says
    when a subscription has read its starting point: probes (public items whose
    text holds ``probe-``) are written until one comes back. Later probes still in
    flight are skipped by ``receive``.
    """
    for k in range(100):
        write_probe(f"probe-{k}")
        try:
            message = ws.receive(timeout=2.0)
        except TimeoutError:
            continue
        assert message.get("id") == op_id and "probe-" in json.dumps(message), message
        ws.skip_probes = True
        return
    raise AssertionError("the subscription never started")


@contextmanager
def socket(api: LiveApi, token: str) -> Iterator[Socket]:
    """A connection acknowledged for ``token``."""
    url = api.url.replace("http://", "ws://")
    with connect(url, subprotocols=[Subprotocol(PROTOCOL)], origin=Origin(ORIGIN), open_timeout=WAIT) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(ws.recv(timeout=WAIT))["type"] == "connection_ack"
        yield Socket(ws)


def company(store: GraphStore, siren: str, departement: str = "21", name: str = "Société Test") -> None:
    """Creates (or updates) a company."""
    store.write(
        "MERGE (c:Company {siren: $siren}) SET c.name = $name, c.departement = $dep, c.region = '27'",
        {"siren": siren, "name": name, "dep": departement},
    )


def event(
    store: GraphStore, siren: str, event_id: str, kind: str, occurred_on: str, payload: dict[str, Any] | None = None
) -> None:
    """Writes a timeline event about a company, as a loader or a mutation would."""
    store.write(
        "MATCH (c:Company {siren: $siren}) "
        "CREATE (e:TimelineEvent {id: $id, siren: $siren, kind: $kind, source: 'test', payload: $payload, "
        "occurred_on: date($on), known_on: date($on), summary: $id, pinned: false})-[:ABOUT]->(c)",
        {
            "siren": siren,
            "id": event_id,
            "kind": kind,
            "on": occurred_on,
            "payload": json.dumps(payload) if payload else None,
        },
    )


def listed_alert(store: GraphStore, siren: str, period: str, region: str = "27", p12: float = 0.42) -> None:
    """Puts a company on the published detection list of ``period`` (as scoring does)."""
    store.write(
        "MATCH (c:Company {siren: $siren}) "
        "MERGE (a:Alert {id: $siren + ':' + $period}) "
        "SET a.siren = $siren, a.period = $period, a.level = 'high', a.region = $region, a.first_alert = true, "
        "a.listed = true, a.p12 = $p12, a.rank = 1, a.created_at = coalesce(a.created_at, datetime()) "
        "MERGE (a)-[:FOR]->(c)",
        {"siren": siren, "period": period, "region": region, "p12": p12},
    )
