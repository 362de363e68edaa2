"""The authorization code + PKCE flow end to end, over real HTTP against uvicorn."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwt

from graph_api.auth import testing as auth_testing
from graph_api.auth.metadata import AUTHORIZE_PATH, TOKEN_PATH
from graph_api.auth.passwords import token_hash
from graphstore.store import GraphStore


def _whoami(base_url: str, token: str) -> httpx.Response:
    return httpx.get(base_url + "/whoami", headers={"Authorization": f"Bearer {token}"})


def _exchange(base_url: str, code: str, verifier: str) -> httpx.Response:
    return httpx.post(
        base_url + TOKEN_PATH,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": auth_testing.TEST_CLIENT_ID,
            "redirect_uri": auth_testing.TEST_REDIRECT_URI,
            "code_verifier": verifier,
        },
    )


def test_authorize_login_code_token_refresh_revoke(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(
        store, "claire", agency="URSSAF-BFC", zones=("BFC",), roles=("urssaf", "score"), name="Claire Morel"
    )
    verifier, challenge = auth_testing.pkce_pair()
    params = {
        "response_type": "code",
        "client_id": auth_testing.TEST_CLIENT_ID,
        "redirect_uri": auth_testing.TEST_REDIRECT_URI,
        "scope": "openid signaux",
        "state": "st-123",
        "nonce": "n-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    with httpx.Client(follow_redirects=False) as http:
        page = http.get(base + AUTHORIZE_PATH, params=params)
        assert page.status_code == 200
        assert 'name="password"' in page.text and "Signaux — tests" in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        assert "samesite=strict" in page.headers["set-cookie"].lower()
        assert "httponly" in page.headers["set-cookie"].lower()
        csrf = auth_testing._CSRF_RE.search(page.text)
        assert csrf

        bad = http.post(
            base + AUTHORIZE_PATH,
            data={**params, "csrf_token": csrf.group(1), "username": "claire", "password": "wrong"},
        )
        assert bad.status_code == 401
        assert "location" not in bad.headers
        assert "incorrect" in bad.text

        page = http.get(base + AUTHORIZE_PATH, params=params)
        csrf = auth_testing._CSRF_RE.search(page.text)
        assert csrf
        ok = http.post(
            base + AUTHORIZE_PATH,
            data={**params, "csrf_token": csrf.group(1), "username": "claire", "password": password},
        )
    assert ok.status_code == 302
    location = urlsplit(ok.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == auth_testing.TEST_REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["st-123"]
    code = query["code"][0]
    # Codes are stored by hash only.
    assert store.read("MATCH (c:OAuthCode {id: $id}) RETURN c.sub AS sub", {"id": token_hash(code)}) == [
        {"sub": "claire"}
    ]
    assert not store.read("MATCH (c:OAuthCode {id: $code}) RETURN c", {"code": code})

    tokens = auth_testing.TokenSet.from_response(_exchange(base, code, verifier))
    assert tokens.refresh_token and tokens.id_token
    assert set(tokens.scope.split()) == {"openid", "signaux"}
    id_claims = jwt.decode(tokens.id_token, live_auth.server.signing_key.key).claims
    assert id_claims["aud"] == auth_testing.TEST_CLIENT_ID
    assert id_claims["nonce"] == "n-456"
    assert id_claims["sub"] == "claire"

    # An ID token is for the client, not an access token for the API.
    assert _whoami(base, tokens.id_token).json()["error"]["code"] == "INVALID_TOKEN"

    me = _whoami(base, tokens.access_token)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["sub"] == "claire" and body["name"] == "Claire Morel"
    assert body["agency"] == "URSSAF-BFC"
    assert body["roles"] == ["score", "urssaf"]
    assert {"21", "25", "39", "58", "70", "71", "89", "90"} == set(body["zones"])
    assert body["client_id"] == auth_testing.TEST_CLIENT_ID
    assert body["is_service"] is False

    # Refresh rotates: a new refresh token, and the old one is dead.
    refreshed = auth_testing.TokenSet.from_response(auth_testing.refresh(base, tokens.refresh_token))
    assert refreshed.refresh_token and refreshed.refresh_token != tokens.refresh_token
    assert refreshed.access_token != tokens.access_token
    assert _whoami(base, refreshed.access_token).status_code == 200

    # Revoking the refresh token revokes its grant: no more refresh, and the grant's
    # access tokens are refused.
    assert auth_testing.revoke(base, refreshed.refresh_token, hint="refresh_token").status_code == 200
    again = auth_testing.refresh(base, refreshed.refresh_token)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    denied = _whoami(base, refreshed.access_token)
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "TOKEN_REVOKED"
    assert _whoami(base, tokens.access_token).json()["error"]["code"] == "TOKEN_REVOKED"


def test_replayed_refresh_token_revokes_the_grant(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "marc", agency="DREETS-BFC", zones=("21",), roles=("dgefp",))
    first = auth_testing.login_with_pkce(base, "marc", password)
    assert first.refresh_token
    second = auth_testing.TokenSet.from_response(auth_testing.refresh(base, first.refresh_token))
    assert second.refresh_token

    replay = auth_testing.refresh(base, first.refresh_token)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # The thief's replay also kills the legitimate holder's newer tokens.
    assert auth_testing.refresh(base, second.refresh_token).status_code == 400
    assert _whoami(base, second.access_token).json()["error"]["code"] == "TOKEN_REVOKED"


def test_revoking_an_access_token(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    token = auth_testing.agent_token(base, store, "ines", agency="BDF-BFC", roles=("bdf",))
    assert _whoami(base, token).status_code == 200
    r = auth_testing.revoke(base, token, hint="access_token")
    assert r.status_code == 200
    denied = _whoami(base, token)
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "TOKEN_REVOKED"
    assert 'error="invalid_token"' in denied.headers["www-authenticate"]
    # Revoking an unknown token answers the same, revealing nothing.
    assert auth_testing.revoke(base, "not-a-token").status_code == 200


def test_plain_pkce_and_missing_pkce_are_refused(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "paul", agency="DGFIP-21")
    verifier, _ = auth_testing.pkce_pair()
    with httpx.Client(follow_redirects=False) as http:
        plain = auth_testing.authorize_code(http, base, "paul", password, challenge=verifier, challenge_method="plain")
        missing = auth_testing.authorize_code(http, base, "paul", password, challenge=None)
    for response in (plain, missing):
        # The client and redirect URI are valid, so the error goes back to the client.
        assert response.status_code == 302
        query = parse_qs(urlsplit(response.headers["location"]).query)
        assert query["error"] == ["invalid_request"]
        assert "code" not in query
    assert not store.read("MATCH (c:OAuthCode) RETURN c")


def test_code_is_single_use_and_replay_revokes_its_tokens(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "sophie", agency="CRP-BFC", roles=("bdf",))
    verifier, challenge = auth_testing.pkce_pair()
    with httpx.Client(follow_redirects=False) as http:
        code = auth_testing.code_from_redirect(
            auth_testing.authorize_code(http, base, "sophie", password, challenge=challenge)
        )
    first = auth_testing.TokenSet.from_response(_exchange(base, code, verifier))
    assert _whoami(base, first.access_token).status_code == 200

    second = _exchange(base, code, verifier)
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    # RFC 6749 §4.1.2: tokens issued from a replayed code are revoked.
    assert _whoami(base, first.access_token).json()["error"]["code"] == "TOKEN_REVOKED"
    assert auth_testing.refresh(base, first.refresh_token or "").status_code == 400


def test_wrong_verifier_and_wrong_redirect_uri_are_refused(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "julien", agency="PREF-21")
    _, challenge = auth_testing.pkce_pair()
    other_verifier, _ = auth_testing.pkce_pair()
    with httpx.Client(follow_redirects=False) as http:
        code = auth_testing.code_from_redirect(
            auth_testing.authorize_code(http, base, "julien", password, challenge=challenge)
        )
        r = _exchange(base, code, other_verifier)
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant"

        # An unregistered redirect URI is never redirected to (no open redirect).
        evil = http.get(
            base + AUTHORIZE_PATH,
            params={
                "response_type": "code",
                "client_id": auth_testing.TEST_CLIENT_ID,
                "redirect_uri": "https://evil.example/cb",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert evil.status_code == 400
        assert "location" not in evil.headers
        unknown_client = http.get(base + AUTHORIZE_PATH, params={"response_type": "code", "client_id": "nobody"})
        assert unknown_client.status_code in (400, 401) and "location" not in unknown_client.headers


def test_login_form_needs_its_csrf_token(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "lea", agency="CR-BFC")
    _, challenge = auth_testing.pkce_pair()
    params = {
        "response_type": "code",
        "client_id": auth_testing.TEST_CLIENT_ID,
        "redirect_uri": auth_testing.TEST_REDIRECT_URI,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    # A cross-site POST: right credentials, no cookie and no token from the page.
    forged = httpx.post(
        base + AUTHORIZE_PATH, data={**params, "username": "lea", "password": password}, follow_redirects=False
    )
    assert forged.status_code == 400
    assert "location" not in forged.headers
    # A token from another session does not match this session's cookie.
    with httpx.Client(follow_redirects=False) as other:
        token = auth_testing._CSRF_RE.search(other.get(base + AUTHORIZE_PATH, params=params).text)
        assert token
    with httpx.Client(follow_redirects=False) as victim:
        victim.get(base + AUTHORIZE_PATH, params=params)
        crossed = victim.post(
            base + AUTHORIZE_PATH,
            data={**params, "csrf_token": token.group(1), "username": "lea", "password": password},
        )
    assert crossed.status_code == 400
    assert not store.read("MATCH (c:OAuthCode) RETURN c")


def test_repeated_failed_logins_lock_the_account_out(live_auth, store: GraphStore) -> None:
    base = live_auth.base_url
    auth_testing.ensure_test_client(store)
    password = auth_testing.ensure_agent(store, "brute", agency="DGE")
    _, challenge = auth_testing.pkce_pair()
    with httpx.Client(follow_redirects=False) as http:
        for _ in range(live_auth.settings.login_max_failures):
            r = auth_testing.authorize_code(http, base, "brute", "guess", challenge=challenge)
            assert r.status_code == 401
        locked = auth_testing.authorize_code(http, base, "brute", password, challenge=challenge)
    assert locked.status_code == 429
    assert "location" not in locked.headers
