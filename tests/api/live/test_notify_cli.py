"""``signaux api notify-channel`` and ``signaux api notify --once`` as commands, on the test Neo4j."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys
from pathlib import Path

from live_support import company, listed_alert
from notify_support import agency, notifications, receiver, reset_outbox

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

SIGNAUX = str(Path(sys.executable).with_name("signaux"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # The session's Neo4j is in the environment (SIGNAUX_DATA_DIR, SIGNAUX_NEO4J_PORT or NEO4J_URI).
    return subprocess.run([SIGNAUX, "api", *args], capture_output=True, text=True, timeout=300, check=False)


def test_notify_channel_then_one_round_delivers_the_webhook(neo4j_settings: StoreSettings) -> None:
    store = GraphStore()
    reset_outbox(store)
    company(store, "360000001", departement="44")
    agency(store, "CLI-A", ["44"], ["detection"])
    listed_alert(store, "360000001", "2026-05", region="52")
    assert _run("notify-channel", "CLI-UNKNOWN", "--webhook", "http://127.0.0.1:9/x").returncode == 1
    with receiver() as rec:
        done = _run("notify-channel", "CLI-A", "--webhook", rec.url, "--webhook-secret", "s3cret")
        assert done.returncode == 0 and "CLI-A: webhook on, e-mail off" in done.stdout, done.stderr
        first = _run("notify", "--once")
        second = _run("notify", "--once")
    assert first.returncode == 0 and "sent: 1;" in first.stdout, first.stdout + first.stderr
    assert second.returncode == 0 and "sent: 0;" in second.stdout, second.stdout + second.stderr
    assert rec.idempotency_keys() == ["CLI-A|52|2026-05|webhook"]
    expected = hmac.new(b"s3cret", rec.calls[0]["raw"], hashlib.sha256).hexdigest()
    assert rec.calls[0]["signature"] == f"sha256={expected}"
    [n] = notifications(store, "CLI-")
    assert (n["status"], n["attempts"]) == ("sent", 1)
    assert _run("notify-channel", "CLI-A", "--webhook", "").returncode == 0
    assert store.read("MATCH (ag:Agency {code: 'CLI-A'}) RETURN ag.webhook_url AS url") == [{"url": None}]
