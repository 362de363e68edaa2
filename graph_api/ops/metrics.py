"""Prometheus metrics of one app: GraphQL operations, errors, HTTP, Neo4j availability and pool.

Each app gets its own registry, so several apps in one process (the tests) do not
collide, and ``/metrics`` shows exactly this app's numbers.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class Metrics:
    """The app's metrics.

    Args:
        max_operation_names: distinct operation names tracked; later ones are
            counted as ``other`` so clients cannot blow up the label space.
    """

    def __init__(self, max_operation_names: int = 200) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "signaux_graphql_requests", "GraphQL operations by name, type and outcome",
            ["operation", "type", "outcome"], registry=r,
        )  # fmt: skip
        self.latency = Histogram(
            "signaux_graphql_duration_seconds", "GraphQL operation latency by name", ["operation", "type"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=r,
        )  # fmt: skip
        self.errors = Counter(
            "signaux_graphql_errors", "GraphQL errors by operation and code", ["operation", "code"], registry=r
        )
        self.http = Counter("signaux_http_responses", "HTTP answers by status class", ["status"], registry=r)
        self.rate_limited = Counter("signaux_rate_limited", "Requests refused by the per-token rate limit", registry=r)
        self.neo4j_up = Gauge("signaux_neo4j_up", "1 when the API can reach Neo4j", registry=r)
        self.neo4j_in_use = Gauge("signaux_neo4j_sessions_in_use", "Neo4j sessions in use (pool occupancy)", registry=r)
        self.neo4j_pool_size = Gauge("signaux_neo4j_pool_max_size", "Neo4j connection pool size", registry=r)
        self.neo4j_failures = Counter(
            "signaux_neo4j_unavailable", "Store calls that failed because Neo4j was unreachable", registry=r
        )
        self._names: set[str] = set()
        self._max_names = max_operation_names
        self._lock = threading.Lock()

    def operation_label(self, name: str | None) -> str:
        """The label for an operation name: itself, ``anonymous``, ``invalid`` or ``other``."""
        if not name:
            return "anonymous"
        if not _NAME.match(name):
            return "invalid"
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) < self._max_names:
                self._names.add(name)
                return name
        return "other"

    def render(self) -> bytes:
        """The text exposition of every metric."""
        return generate_latest(self.registry)


class MetricsExtension(SchemaExtension):
    """Counts and times each operation, and counts its errors by code.

    Args:
        metrics: the app's metrics.
    """

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        ec = self.execution_context
        try:
            op_type = ec.operation_type.value
        except RuntimeError:
            op_type = "unknown"
        name = self.metrics.operation_label(ec.operation_name)
        state = getattr(getattr(ec.context, "request", None), "state", None)
        if state is not None:
            state.operation = name
        errors = getattr(ec.result, "errors", None) or []
        self.metrics.latency.labels(name, op_type).observe(time.perf_counter() - started)
        self.metrics.requests.labels(name, op_type, "error" if errors else "ok").inc()
        for e in errors:
            code = (e.extensions or {}).get("code", "INTERNAL_SERVER_ERROR")
            self.metrics.errors.labels(name, str(code)).inc()


def metrics_endpoint(metrics: Metrics) -> object:
    """The ``/metrics`` endpoint of an app."""

    async def endpoint(_: Request) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return endpoint
