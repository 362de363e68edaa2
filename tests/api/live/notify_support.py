"""Helpers of the notification tests: a local webhook receiver and a fresh async store."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from graphstore.store import GraphStore


@dataclass
class Receiver:
    """A webhook endpoint answering the scripted statuses in turn, then 200."""

    statuses: list[int] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def idempotency_keys(self) -> list[str]:
        """The ``Idempotency-Key`` of every call, in order."""
        return [c["key"] for c in self.calls]


@contextmanager
def receiver(statuses: list[int] | None = None) -> Iterator[Receiver]:
    """Runs a receiver on a free port until the block ends."""
    rec = Receiver(list(statuses or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                status = rec.statuses.pop(0) if rec.statuses else 200
                rec.calls.append(
                    {
                        "key": self.headers.get("Idempotency-Key"),
                        "event": self.headers.get("X-Signaux-Event"),
                        "signature": self.headers.get("X-Signaux-Signature"),
                        "body": json.loads(body),
                        "raw": body,
                        "status": status,
                    }
                )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


def reset_outbox(store: GraphStore) -> None:
    """Forgets every notification, attempt and publication, and the webhooks of earlier tests' agencies.

    Earlier tests' lists are still recent: without their webhooks, their agencies get nothing new.
    """
    store.write("MATCH (n) WHERE n:Notification OR n:DeliveryAttempt OR n:DetectionListPublication DETACH DELETE n")
    store.write("MATCH (ag:Agency) WHERE ag.webhook_url IS NOT NULL REMOVE ag.webhook_url")


def agency(store: GraphStore, code: str, zones: list[str], roles: list[str], webhook: str | None = None) -> None:
    """An agency with one agent covering ``zones`` with ``roles``, and maybe a webhook."""
    store.write(
        "MERGE (ag:Agency {code: $code}) SET ag.name = $code, ag.webhook_url = $webhook "
        "MERGE (a:Agent {sub: $code + '.agent'}) SET a.zones = $zones, a.roles = $roles, a.name = $code "
        "MERGE (a)-[:WORKS_FOR]->(ag)",
        {"code": code, "zones": zones, "roles": roles, "webhook": webhook},
    )


def notifications(store: GraphStore, prefix: str) -> list[dict[str, Any]]:
    """The notifications of agencies whose code starts with ``prefix``, with their attempts."""
    return store.read(
        "MATCH (n:Notification) WHERE n.agency STARTS WITH $prefix "
        "OPTIONAL MATCH (n)-[:ATTEMPT]->(d:DeliveryAttempt) "
        "WITH n, d ORDER BY d.number "
        "RETURN n.id AS id, n.status AS status, n.attempts AS attempts, n.last_error AS last_error, "
        "n.next_attempt_at IS NULL AS no_next, "
        "collect([d.outcome, d.error, d.retry_in_seconds]) AS history ORDER BY n.id",
        {"prefix": prefix},
    )


@dataclass
class MailBox:
    """What a local SMTP relay received: one raw message per mail."""

    port: int = 0
    messages: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


@contextmanager
def smtp_relay() -> Iterator[MailBox]:
    """A minimal SMTP relay (RFC 5321 happy path) on a free port, keeping every message."""
    box = MailBox()

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 test relay")
            while raw := self.rfile.readline():
                command = raw.decode().strip()
                verb = command.split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 test relay")
                elif verb == "RCPT":
                    box.recipients.append(command.split(":", 1)[1].strip(" <>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 go on")
                    lines = []
                    while (line := self.rfile.readline().decode()) not in (".\r\n", ""):
                        lines.append(line)
                    box.messages.append("".join(lines))
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
