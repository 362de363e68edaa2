"""Hardening limits through HTTP: depth, aliases, tokens, directives, duplicates, page
size, body size, batching, rate limit, masked errors, error codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_support import LiveApi, codes, running_api

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

TIGHT = {
    "SIGNAUX_API_MAX_DEPTH": "2",
    "SIGNAUX_API_MAX_ALIASES": "3",
    "SIGNAUX_API_MAX_TOKENS": "120",
    "SIGNAUX_API_MAX_PAGE_SIZE": "5",
    "SIGNAUX_API_MAX_BODY_BYTES": "4096",
    "SIGNAUX_API_RATE_PER_MINUTE": "6",
    "SIGNAUX_API_RATE_BURST": "40",
}


@pytest.fixture(scope="module")
def tight(neo4j_settings: StoreSettings) -> Iterator[LiveApi]:
    with running_api(**TIGHT) as live:
        yield live


@pytest.fixture(scope="module")
def auditor(tight: LiveApi) -> str:
    return tight.token("auditor-1", agency="CDC", roles=("auditor",))


def test_depth_limit(tight: LiveApi, auditor: str) -> None:
    ok = tight.gql(auditor, "{ auditLog(first: 1) { pageInfo { hasNextPage } } }")  # depth 2
    assert "errors" not in ok, ok
    deep = tight.gql(auditor, '{ company(siren: "123456789") { scores { latest { p12 } } } }')  # depth 4
    assert codes(deep) == ["QUERY_TOO_COMPLEX"]
    assert deep.get("data") is None


def test_alias_limit(tight: LiveApi, auditor: str) -> None:
    three = tight.gql(auditor, "{ a: me { sub } b: me { sub } c: me { sub } }")
    assert "errors" not in three
    four = tight.gql(auditor, "{ a: me { sub } b: me { sub } c: me { sub } d: me { sub } }")
    assert codes(four) == ["QUERY_TOO_COMPLEX"]
    assert four.get("data") is None


def test_token_limit(tight: LiveApi, auditor: str) -> None:
    fields = " ".join(f"f{i}: __typename" for i in range(60))
    body = tight.gql(auditor, "{ " + fields + " }")
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body.get("data") is None


def test_directive_overloading_gives_one_error(tight: LiveApi, auditor: str) -> None:
    body = tight.gql(auditor, "query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }")
    assert codes(body) == ["QUERY_TOO_COMPLEX"]


def test_field_duplication_is_refused(tight: LiveApi, auditor: str) -> None:
    body = tight.gql(auditor, "query { " + "__typename " * 8 + "}")
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body.get("data") is None


def test_page_size_limit(tight: LiveApi, auditor: str) -> None:
    body = tight.gql(auditor, "{ auditLog(first: 6) { totalCount } }")
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["max"] == 5
    zero = tight.gql(auditor, "{ auditLog(first: 0) { totalCount } }")
    assert codes(zero) == ["BAD_USER_INPUT"]
    five = tight.gql(auditor, "{ auditLog(first: 5) { totalCount } }")
    assert "errors" not in five


def test_body_size_limit(tight: LiveApi, auditor: str) -> None:
    padding = "#" + "x" * 5000 + "\n"
    r = tight.post(auditor, padding + "{ me { sub } }")
    assert r.status_code == 413
    assert r.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_body_size_limit_on_chunked_body(tight: LiveApi, auditor: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ me { sub } }", "variables": {"x": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}}'

    r = tight.http.post(
        tight.url,
        content=chunks(),
        headers={"Authorization": f"Bearer {auditor}", "Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_batching_is_off(tight: LiveApi, auditor: str) -> None:
    r = tight.http.post(
        tight.url,
        json=[{"query": "{ __typename }"}] * 11,
        headers={"Authorization": f"Bearer {auditor}"},
    )
    assert r.status_code == 400
    assert "__typename" not in r.text


def test_parse_and_validation_codes(tight: LiveApi, auditor: str) -> None:
    assert codes(tight.gql(auditor, "qwerty cop { abc }")) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(tight.gql(auditor, "{ nope }")) == ["GRAPHQL_VALIDATION_FAILED"]
    raw = tight.post(auditor, "qwerty cop { abc }").text.lower()
    assert "exception" not in raw and "stacktrace" not in raw and "traceback" not in raw


def test_rate_limit_per_token(neo4j_settings: StoreSettings) -> None:
    # One request a minute after the burst: no refill can happen during the test, however slow the machine.
    with running_api(SIGNAUX_API_RATE_PER_MINUTE="1", SIGNAUX_API_RATE_BURST="3") as live:
        first = live.token("rate-1")
        second = live.token("rate-2")
        answers = [live.post(first, "{ __typename }").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        refused = live.post(first, "{ __typename }")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # Another token has its own bucket.
        assert live.post(second, "{ __typename }").status_code == 200
        metrics = live.http.get(live.base_url + "/metrics").text
        assert "signaux_rate_limited_total 2.0" in metrics


def test_unexpected_errors_are_masked(api: LiveApi, neo4j_settings: StoreSettings) -> None:
    # A corrupt Parquet file makes DuckDB fail inside the BdF reader: the client
    # must get a bare INTERNAL_SERVER_ERROR, nothing of the exception.
    store = GraphStore()
    store.write(
        "MERGE (c:Company {siren: '300000001'}) SET c.name = 'Masquée', c.departement = '21' "
        "MERGE (a:Agency {code: 'MASK'}) MERGE (a)-[:FOLLOWS]->(c)"
    )
    token = api.token("masked", agency="MASK", roles=("bdf",))
    bad: Path = neo4j_settings.measures_dir / "bdf_ratios" / "delivery=corrupt" / "bad.parquet"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"this is not parquet")
    try:
        r = api.post(token, '{ company(siren: "300000001") { name bdf { ratios { tauxMarge } } } }')
    finally:
        bad.unlink()
        bad.parent.rmdir()
    body = r.json()
    assert body["data"]["company"]["name"] == "Masquée"
    assert body["data"]["company"]["bdf"] is None
    assert body["errors"] == [
        {
            "message": "Internal server error.",
            "locations": body["errors"][0]["locations"],
            "path": ["company", "bdf"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "parquet" not in r.text.lower() and "duckdb" not in r.text.lower()


def test_missing_or_invalid_token_is_401(api: LiveApi) -> None:
    valid = api.token("someone")
    header, payload, signature = valid.split(".")
    tampered = ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": f"Bearer {tampered}"},
    ):
        r = api.http.post(api.url, json={"query": "{ me { sub } }"}, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"].startswith("Bearer realm=")
        assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    ok = api.http.post(api.url, json={"query": "{ me { sub } }"}, headers={"Authorization": f"Bearer {valid}"})
    assert ok.json() == {"data": {"me": {"sub": "someone"}}}


def test_get_without_token_is_401_too(api: LiveApi) -> None:
    r = httpx.get(api.url, params={"query": "{ __typename }"})
    assert r.status_code == 401


def test_known_documents_are_still_checked(tight: LiveApi, auditor: str) -> None:
    """Each query text is parsed and validated once (``DocumentCache``): a valid one answers
    the same the second time, a refused one is refused every time."""
    ok = "{ auditLog(first: 1) { pageInfo { hasNextPage } } }"
    deep = '{ company(siren: "123456789") { scores { latest { p12 } } } }'
    unknown = "{ auditLog(first: 1) { noSuchField } }"
    for _ in range(2):
        assert "errors" not in tight.gql(auditor, ok)
        assert codes(tight.gql(auditor, deep)) == ["QUERY_TOO_COMPLEX"]
        assert codes(tight.gql(auditor, unknown)) == ["GRAPHQL_VALIDATION_FAILED"]
