"""Client credentials, discovery, JWKS, the signing key on disk, and the demo seed."""

from __future__ import annotations

import stat

import httpx
from neo4j import GraphDatabase
from starlette.applications import Starlette

from graph_api.auth import testing as auth_testing
from graph_api.auth.keys import SIGNING_KEY_FILE
from graph_api.auth.metadata import JWKS_PATH, OAUTH_METADATA_PATH, OPENID_CONFIGURATION_PATH, TOKEN_PATH
from graph_api.auth.seed import DEMO_AGENCIES, how_to_get_a_token, seed_and_explain, seed_demo
from graph_api.auth.server import EmbeddedAuthorizationServer, authorization_server_routes
from graphstore.local import free_port
from graphstore.store import GraphStore


def _whoami(base_url: str, token: str) -> httpx.Response:
    return httpx.get(base_url + "/whoami", headers={"Authorization": f"Bearer {token}"})


def test_client_credentials_token_for_a_service(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    token = auth_testing.service_token(
        base, store, "scoring-svc", agency="DGE", zones=("R27",), roles=("score", "urssaf"), scope="signaux"
    )
    me = _whoami(base, token)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["sub"] == "scoring-svc" and body["client_id"] == "scoring-svc"
    assert body["is_service"] is True
    assert body["agency"] == "DGE"
    assert body["roles"] == ["score", "urssaf"]
    assert "21" in body["zones"] and "75" not in body["zones"]
    assert body["scopes"] == ["signaux"]


def test_client_credentials_refusals(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_service_client(store, "svc", "right-secret", agency="DGE")
    wrong = httpx.post(base + TOKEN_PATH, data={"grant_type": "client_credentials"}, auth=("svc", "wrong-secret"))
    assert wrong.status_code in (400, 401) and wrong.json()["error"] == "invalid_client"
    # A public client has no secret and may not use client credentials.
    auth_testing.ensure_test_client(store)
    public = httpx.post(
        base + TOKEN_PATH, data={"grant_type": "client_credentials", "client_id": auth_testing.TEST_CLIENT_ID}
    )
    assert public.status_code in (400, 401)
    assert "access_token" not in public.json()
    # A scope the client was not given is not granted.
    ok = httpx.post(
        base + TOKEN_PATH,
        data={"grant_type": "client_credentials", "scope": "signaux"},
        auth=("svc", "right-secret"),
    )
    assert ok.status_code == 200 and ok.json()["scope"] == "signaux"
    assert "refresh_token" not in ok.json()


def test_discovery_and_jwks(live_auth) -> None:
    base = live_auth.base_url
    oidc = httpx.get(base + OPENID_CONFIGURATION_PATH).json()
    rfc8414 = httpx.get(base + OAUTH_METADATA_PATH).json()
    assert oidc == rfc8414
    assert oidc["issuer"] == base
    assert oidc["code_challenge_methods_supported"] == ["S256"]
    assert oidc["token_endpoint"] == base + TOKEN_PATH
    assert oidc["jwks_uri"] == base + JWKS_PATH
    keys = httpx.get(oidc["jwks_uri"]).json()["keys"]
    assert [k["kid"] for k in keys] == [live_auth.server.signing_key.kid]
    key = keys[0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    # Public material only.
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_signing_key_lives_in_the_data_dir_owner_only(live_auth, data_dir) -> None:
    path = live_auth.settings.key_dir / SIGNING_KEY_FILE
    assert path.parent == data_dir / "auth"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The same key is loaded again at the next start.
    from graph_api.auth.keys import load_or_create_signing_key

    assert load_or_create_signing_key(live_auth.settings.key_dir).kid == live_auth.server.signing_key.kid


def test_demo_seed_gives_working_accounts(live_auth, store: GraphStore) -> None:
    seed = seed_demo(store, live_auth.settings, password="demo-password-1")
    codes = {r["code"] for r in store.read("MATCH (a:Agency) RETURN a.code AS code")}
    assert codes == {code for code, _, _ in DEMO_AGENCIES}
    works_for = store.read("MATCH (a:Agent {sub: 'claire.urssaf'})-[:WORKS_FOR]->(ag:Agency) RETURN ag.code AS code")
    assert works_for == [{"code": "URSSAF-BFC"}]
    # The password hash is not on the Agent node, and is not the password.
    agent_props = store.read("MATCH (a:Agent {sub: 'claire.urssaf'}) RETURN properties(a) AS p")[0]["p"]
    assert not any("password" in k for k in agent_props)
    stored = store.read("MATCH (c:AgentCredential {sub: 'claire.urssaf'}) RETURN c.password_hash AS h")[0]["h"]
    assert stored.startswith("scrypt$") and "demo-password-1" not in stored

    tokens = auth_testing.login_with_pkce(
        live_auth.base_url,
        "claire.urssaf",
        "demo-password-1",
        client_id=seed.web_client.client_id,
        redirect_uri=seed.web_client.redirect_uris[0],
    )
    body = _whoami(live_auth.base_url, tokens.access_token).json()
    assert body["agency"] == "URSSAF-BFC" and "urssaf" in body["roles"]

    service = httpx.post(
        live_auth.base_url + TOKEN_PATH,
        data={"grant_type": "client_credentials"},
        auth=(seed.service_client.client_id, seed.service_secret),
    )
    assert service.status_code == 200
    assert _whoami(live_auth.base_url, service.json()["access_token"]).json()["is_service"] is True

    text = how_to_get_a_token(seed, live_auth.settings)
    assert seed.service_secret in text and "code_verifier" in text and "claire.urssaf" in text
    # Seeding twice is harmless, and the command body prints the new credentials.
    printed: list[str] = []
    again = seed_and_explain(store, live_auth.settings, out=printed.append)
    assert store.read("MATCH (a:Agent) RETURN count(a) AS n")[0]["n"] == len(seed.agents)
    assert again.password in printed[0] and again.service_secret in printed[0]
    assert again.service_secret != seed.service_secret


def test_oauth_endpoints_answer_503_while_neo4j_is_away(data_dir) -> None:
    # A driver pointing at a port nobody listens on: a real connection refusal.
    dead = GraphDatabase.driver(
        f"bolt://127.0.0.1:{free_port()}", auth=("neo4j", "x"), connection_timeout=1, max_transaction_retry_time=0.5
    )
    port = free_port()
    settings = auth_testing.settings_for(port)
    server = EmbeddedAuthorizationServer(settings, GraphStore(dead, "neo4j"))
    try:
        with auth_testing.live_server(Starlette(routes=authorization_server_routes(server=server)), port) as base:
            r = httpx.post(base + TOKEN_PATH, data={"grant_type": "client_credentials"}, auth=("svc", "secret"))
            assert r.status_code == 503
            assert r.json()["error"] == "temporarily_unavailable"
            assert r.headers["retry-after"] == "5"
            # What needs no database keeps working: clients can still discover and verify.
            assert httpx.get(base + JWKS_PATH).status_code == 200
            assert httpx.get(base + OPENID_CONFIGURATION_PATH).status_code == 200
    finally:
        dead.close()
