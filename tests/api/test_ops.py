"""Health, metrics, JSON logs with request ids, schema export, the CLI."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from api_support import LiveApi

from graph_api.ops.logging import JsonFormatter
from graph_api.ops.metrics import Metrics
from graph_api.schema import SCHEMA_FILE, schema_sdl
from graphstore.local import free_port
from graphstore.settings import StoreSettings


def test_health_endpoints(api: LiveApi) -> None:
    assert httpx.get(api.base_url + "/health/live").json() == {"status": "ok"}
    ready = httpx.get(api.base_url + "/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "neo4j": "up"}


def test_metrics_count_operations_errors_and_neo4j(api: LiveApi) -> None:
    token = api.token("metrics-agent")
    for _ in range(3):
        api.post(token, "query MetricsProbe { me { sub } }")
    api.post(token, "query MetricsBroken { nope }")
    text = httpx.get(api.base_url + "/metrics").text
    assert 'signaux_graphql_requests_total{operation="MetricsProbe",outcome="ok",type="query"} 3.0' in text
    assert 'signaux_graphql_duration_seconds_count{operation="MetricsProbe",type="query"} 3.0' in text
    assert 'signaux_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED",operation="MetricsBroken"} 1.0' in text
    assert "signaux_neo4j_up 1.0" in text
    assert "signaux_neo4j_pool_max_size 50.0" in text
    assert "signaux_neo4j_sessions_in_use 0.0" in text


def test_operation_names_cannot_explode_the_labels(api: LiveApi) -> None:
    token = api.token("metrics-agent")
    api.post(token, "query { me { sub } }")
    assert 'operation="anonymous"' in httpx.get(api.base_url + "/metrics").text
    m = Metrics(max_operation_names=2)
    assert [m.operation_label(n) for n in ("A", "B", "C", "A", "bad name!", None)] == [
        "A", "B", "other", "A", "invalid", "anonymous",
    ]  # fmt: skip


def test_json_logs_carry_the_request_id(api: LiveApi, caplog: pytest.LogCaptureFixture) -> None:
    token = api.token("log-agent")
    with caplog.at_level(logging.INFO, logger="signaux.api.access"):
        r = api.post(token, "query LoggedOp { me { sub } }")
        rid = r.headers["x-request-id"]
        # The access line is written once the response is sent, by the server thread.
        for _ in range(100):
            records = [rec for rec in caplog.records if getattr(rec, "request_id", None) == rid]
            if records:
                break
            time.sleep(0.1)
    assert records, "no access log line for the request"
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == rid
    assert line["status"] == 200
    assert line["sub"] == "log-agent"
    assert line["operation"] == "LoggedOp"
    assert line["path"] == "/graphql"
    assert isinstance(line["duration_ms"], float)


def test_client_request_ids_are_not_trusted_by_default(api: LiveApi) -> None:
    token = api.token("log-agent")
    r = api.post(token, "{ __typename }", headers={"X-Request-Id": "forged-request-id-1234"})
    assert r.headers["x-request-id"] != "forged-request-id-1234"


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_FILE.exists(), "run `signaux api export-schema`"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `signaux api export-schema` (or `make schema`)"
    )


def test_export_schema_command(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    cmd = [sys.executable, "-m", "signaux.cli", "api", "export-schema", "--output", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    assert out.read_text(encoding="utf-8") == schema_sdl()
    out.write_text("type Query { stale: Int }\n")
    check = subprocess.run([*cmd, "--check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 1 and "stale" in check.stdout


def test_signaux_serve_runs_the_api(neo4j_settings: StoreSettings) -> None:
    port = free_port()
    env = {**os.environ, "SIGNAUX_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env.pop("SIGNAUX_AUTH_ISSUER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "signaux.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = None
        for _ in range(300):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert ready is not None and ready.json() == {"status": "ready", "neo4j": "up"}
        r = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ me { sub } }"})
        assert r.status_code == 401
        rid = r.headers["x-request-id"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == rid and line.get("status") == 401 for line in lines), err[-2000:]
