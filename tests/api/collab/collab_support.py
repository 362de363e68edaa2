"""Helpers of the collaboration tests (follows, notes, interventions, alerts, live).

Generic on purpose: ``collab`` gives a clean graph, a few companies, agencies that
exist, real tokens and GraphQL calls that return data or error codes. The live
API itself is the ``api`` fixture of ``tests/api/conftest.py`` (a real server,
real tokens from its embedded issuer; nothing mocked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from api_support import LiveApi, codes

from graph_api.auth import testing as auth_testing
from graphstore.store import GraphStore


@dataclass(frozen=True)
class Agent:
    """An agent under test: its token's claims."""

    sub: str
    agency: str
    zones: tuple[str, ...]
    roles: tuple[str, ...] = ()
    scope: str = auth_testing.DEFAULT_SCOPE


@dataclass
class Collab:
    """The live API and the test's clean graph, with helpers."""

    api: LiveApi
    store: GraphStore

    def token(self, agent: Agent) -> str:
        """A real access token for ``agent`` (cached per server)."""
        token: str = self.api.token(
            agent.sub, agency=agent.agency, zones=agent.zones, roles=agent.roles, scope=agent.scope
        )
        return token

    def call(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Runs an operation as ``agent``; the JSON body (HTTP 200 asserted)."""
        body: dict[str, Any] = self.api.gql(self.token(agent), query, variables)
        return body

    def response(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        """Runs an operation as ``agent``; the raw response (for ``x-request-id``)."""
        response: httpx.Response = self.api.post(self.token(agent), query, variables)
        return response

    def ok(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Runs an operation as ``agent`` and returns its ``data``, asserting there is no error."""
        body = self.call(agent, query, variables)
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data

    def error(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Runs an operation that must fail with exactly one error; that error."""
        body = self.call(agent, query, variables)
        assert len(codes(body)) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error

    def code(self, agent: Agent, query: str, variables: dict[str, Any] | None = None) -> str:
        """The one error code of an operation that must fail."""
        return str(self.error(agent, query, variables)["extensions"]["code"])

    def add_company(self, siren: str, departement: str, *, listed: bool = False) -> None:
        """A company with a score, head office in ``departement``; on a detection list when ``listed``."""
        self.store.write(
            "MERGE (c:Company {siren: $siren}) SET c.name = 'Société ' + $siren, c.departement = $dep, "
            "c.active = true "
            "CREATE (:Score {id: $siren + '-s', siren: $siren, period: '2025-01', p12: 0.3, p18: 0.4, p24: 0.5, "
            "model_version: 'v-test'})-[:FOR]->(c)",
            {"siren": siren, "dep": departement},
        )
        if listed:
            self.store.write(
                "MATCH (c:Company {siren: $siren}) CREATE (:Alert {id: $siren + '-a', siren: $siren, "
                "period: '2025-01', level: 'F2', listed: true})-[:FOR]->(c)",
                {"siren": siren},
            )

    def add_agencies(self, *codes_: str) -> None:
        """Agencies that exist in the graph."""
        self.store.write("UNWIND $codes AS code MERGE (:Agency {code: code})", {"codes": list(codes_)})

    def count(self, query: str, params: dict[str, Any] | None = None) -> int:
        """The ``n`` a counting query returns."""
        return int(self.store.read(query, params or {})[0]["n"])

    def audit(self, request_id: str) -> list[dict[str, Any]]:
        """The audit entries of one request."""
        rows = self.store.read("MATCH (a:AuditEntry {request_id: $r}) RETURN a", {"r": request_id})
        return [dict(r["a"]) for r in rows]
