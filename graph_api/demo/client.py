"""A small client of the running API for the demo scenario: tokens, GraphQL over HTTP, a live subscription."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from graph_api.auth.metadata import AUTHORIZE_PATH, TOKEN_PATH

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SCOPE = "openid signaux signaux:write"


class ScenarioError(Exception):
    """A step could not be played (the message says which and why)."""


def login(base_url: str, username: str, password: str, client_id: str, redirect_uri: str) -> str:
    """An access token for an agent, through the embedded server's code + PKCE flow (as a browser would)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": secrets.token_urlsafe(8),
        "code_challenge_method": "S256",
        "code_challenge": challenge,
    }
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        page = http.get(base_url + AUTHORIZE_PATH, params=params)
        match = _CSRF.search(page.text)
        if page.status_code != 200 or not match:
            raise ScenarioError(f"login page for {username}: HTTP {page.status_code}")
        answer = http.post(
            base_url + AUTHORIZE_PATH,
            data={**params, "csrf_token": match.group(1), "username": username, "password": password},
        )
        code = parse_qs(urlsplit(answer.headers.get("location", "")).query).get("code")
        if answer.status_code != 302 or not code:
            raise ScenarioError(f"login of {username} refused (is SIGNAUX_DEMO_PASSWORD the seeded password?)")
        token = http.post(
            base_url + TOKEN_PATH,
            data={
                "grant_type": "authorization_code",
                "code": code[0],
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
        )
    if token.status_code != 200:
        raise ScenarioError(f"token endpoint answered {token.status_code} for {username}")
    access: str = token.json()["access_token"]
    return access


@dataclass
class Agent:
    """One agent of the scenario: who, which agency, its token."""

    sub: str
    agency: str
    token: str


class Api:
    """GraphQL over HTTP as a given agent.

    Args:
        base_url: the API's base URL (``http://127.0.0.1:8000``).
        http: the HTTP client.
    """

    def __init__(self, base_url: str, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    def call(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body (``data`` and maybe ``errors``)."""
        response = self.http.post(
            f"{self.base_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {agent.token}"},
        )
        if response.status_code != 200:
            raise ScenarioError(f"HTTP {response.status_code} for {agent.sub}: {response.text[:200]}")
        body: dict[str, Any] = response.json()
        return body

    def data(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a call that must succeed."""
        body = self.call(agent, query, variables)
        if body.get("errors"):
            codes = [e.get("extensions", {}).get("code") for e in body["errors"]]
            raise ScenarioError(f"{agent.sub}: {codes} {body['errors'][0].get('message')}")
        data: dict[str, Any] = body["data"]
        return data


@dataclass
class LiveFeed:
    """A ``graphql-transport-ws`` subscription read in a background thread."""

    base_url: str
    agent: Agent
    query: str
    variables: dict[str, Any]
    received: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _ready: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> LiveFeed:
        """Connects, subscribes and returns once the server acknowledged the connection."""
        self._thread = threading.Thread(target=self._run, name=f"live-{self.agent.sub}", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise ScenarioError(f"the WebSocket of {self.agent.sub} did not open")
        return self

    def _run(self) -> None:
        url = self.base_url.replace("http://", "ws://").replace("https://", "wss://") + "/graphql"
        with connect(
            url, subprotocols=[Subprotocol("graphql-transport-ws")], origin=Origin(self.base_url), open_timeout=30
        ) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.agent.token}"}}))
            json.loads(ws.recv(timeout=30))
            payload = {"query": self.query, "variables": self.variables}
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            self._ready.set()
            while not self._stop.is_set():
                try:
                    message = json.loads(ws.recv(timeout=0.2))
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                if message.get("type") == "ping":
                    ws.send(json.dumps({"type": "pong"}))
                elif message.get("type") == "next":
                    self.received.append(message["payload"])

    def stop(self) -> list[dict[str, Any]]:
        """Closes the socket; what arrived."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        return self.received
