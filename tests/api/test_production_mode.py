"""Production mode (SIGNAUX_ENV=production) against embedded mode, and the checks of
graphql-cop re-run over HTTP: introspection, GraphiQL, field suggestions, GET
queries and mutations, url-encoded POST, batching, aliases, directives, field
duplication, circular introspection and fragments, trace/debug leaks.

The ``graphql-cop`` package on PyPI is an empty placeholder (the real tool is not
published there), so its checks are reproduced here with the same requests and
the same detection rules; docs/api-hardening.md lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_support import LiveApi, codes, running_api

from graphstore.settings import StoreSettings

INTROSPECTION = "{ __schema { queryType { name } types { name } } }"


@pytest.fixture(scope="module")
def prod(neo4j_settings: StoreSettings) -> Iterator[LiveApi]:
    with running_api(
        SIGNAUX_ENV="production", SIGNAUX_API_INTROSPECTION="true", SIGNAUX_API_CORS_ORIGINS="https://app.example.fr"
    ) as live:
        yield live


@pytest.fixture(scope="module")
def prod_token(prod: LiveApi) -> str:
    return prod.token("prod-agent")


def test_production_closes_what_embedded_opens(api: LiveApi, prod: LiveApi, prod_token: str) -> None:
    dev_token = api.token("dev-agent")
    # Introspection (a leftover SIGNAUX_API_INTROSPECTION=true does not reopen it).
    assert api.gql(dev_token, INTROSPECTION)["data"]["__schema"]["queryType"]["name"] == "Query"
    closed = prod.gql(prod_token, INTROSPECTION)
    assert closed.get("data") is None and set(codes(closed)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert prod.gql(prod_token, "{ __typename }") == {"data": {"__typename": "Query"}}
    # Field suggestions.
    assert "Did you mean" in api.gql(dev_token, "{ compny }")["errors"][0]["message"]
    assert "Did you mean" not in prod.gql(prod_token, "{ compny }")["errors"][0]["message"]
    # GraphiQL.
    page = httpx.get(api.url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    for headers in ({"Accept": "text/html"}, {"Accept": "text/html", "Authorization": f"Bearer {prod_token}"}):
        r = httpx.get(prod.url, headers=headers)
        assert r.status_code in (401, 404)
        assert "graphiql" not in r.text.lower()
    # Queries over GET.
    get = httpx.get(api.url, params={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {dev_token}"})
    assert get.json() == {"data": {"__typename": "Query"}}
    get = httpx.get(prod.url, params={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {prod_token}"})
    assert get.status_code in (400, 405) and "Query" not in get.text


def _cop_findings(live: LiveApi, token: str) -> dict[str, bool]:
    """graphql-cop's checks: True means the weakness was found."""
    h = {"Authorization": f"Bearer {token}"}

    def post(payload: Any) -> Any:
        try:
            return live.http.post(live.url, json=payload, headers=h).json()
        except ValueError:
            return {}

    def data(body: Any) -> dict[str, Any]:
        return (body.get("data") or {}) if isinstance(body, dict) else {}

    aliases = "query { " + " ".join(f"alias{i}:__typename" for i in range(101)) + " }"
    batch = post([{"query": "query { __typename }"}] * 11)
    directive = post({"query": "query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }"})
    circular = post(
        {
            "query": "query { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }"
        }
    )
    fragment = post(
        {
            "query": "query { __schema { ...A } } fragment A on __Schema { __typename ...B } fragment B on __Schema { ...A }"
        }
    )
    unhandled = post({"query": "qwerty cop { abc }"})
    trace = post({"query": "query { __typename }"})
    suggestions = post({"query": "query { __schema { directive } }"})
    get_query = live.http.get(live.url, params={"query": "{__typename}"}, headers=h)
    get_mutation = live.http.get(live.url, params={"query": "mutation {__typename}"}, headers=h)
    urlencoded = live.http.post(live.url, data={"query": "query {__typename}"}, headers=h)
    ide = [
        live.http.get(live.base_url + p, headers=h).text for p in ("/graphiql", "/playground", "/console", "/graphql")
    ]

    def typename(r: httpx.Response) -> bool:
        try:
            return bool((r.json().get("data") or {}).get("__typename"))
        except ValueError:
            return False

    return {
        "alias_overloading": "alias100" in data(post({"query": aliases})),
        "batching": isinstance(batch, list) and len(batch) >= 10,
        "directive_overloading": isinstance(directive, dict) and len(directive.get("errors") or []) == 10,
        "circular_introspection": len((data(circular).get("__schema") or {}).get("types") or []) > 25,
        "circular_fragment": isinstance(fragment, dict) and "errors" not in fragment,
        "field_duplication": bool(data(post({"query": "query { " + "__typename \n" * 500 + "} "})).get("__typename")),
        "field_suggestions": "did you mean" in str(suggestions).lower(),
        "introspection": bool(data(post({"query": INTROSPECTION})).get("__schema")),
        "unhandled_errors": "'exception'" in str(unhandled).lower(),
        "trace_mode": "tracing" in str(trace).lower() or "stacktrace" in str(trace).lower(),
        "get_query": typename(get_query),
        "get_mutation": typename(get_mutation),
        "post_urlencoded": typename(urlencoded),
        "graphiql": any(
            w in t for t in ide for w in ("graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground")
        ),
    }


def test_graphql_cop_finds_nothing_in_production(prod: LiveApi, prod_token: str) -> None:
    findings = _cop_findings(prod, prod_token)
    assert len(findings) == 14
    assert [name for name, found in findings.items() if found] == []


def test_graphql_cop_in_embedded_mode_finds_only_the_documented_exceptions(api: LiveApi) -> None:
    # Embedded mode keeps the developer conveniences on, by design (docs/api-hardening.md).
    findings = _cop_findings(api, api.token("cop-dev"))
    found = sorted(name for name, hit in findings.items() if hit)
    # The circular introspection query is stopped by the depth limit even here.
    assert found == ["field_suggestions", "get_query", "graphiql", "introspection"]


def test_cors_allows_only_configured_origins(prod: LiveApi) -> None:
    def preflight(origin: str) -> httpx.Response:
        return prod.http.options(
            prod.url,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )

    ok = preflight("https://app.example.fr")
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://app.example.fr"
    refused = preflight("https://evil.example.com")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
