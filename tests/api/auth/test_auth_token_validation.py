"""Token edge cases, through ``TokenValidator`` and through a protected HTTP endpoint.

Tokens are minted with the live server's real signing key (or with keys an attacker
could have), then presented as they would be by a client.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from neo4j import AsyncGraphDatabase

from graph_api.auth.errors import AuthError
from graph_api.auth.principal import Principal
from graph_api.auth.resource_server import TokenValidator
from graph_api.auth.revocation import GraphRevocationChecker, revoke_ids
from graph_api.auth.settings import AuthSettings
from graphstore.connection import resolve_connection
from graphstore.settings import get_settings
from graphstore.store import AsyncGraphStore, GraphStore


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_for(settings: AuthSettings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": [settings.audience],
        "sub": "tester",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": secrets.token_urlsafe(16),
        "scope": "signaux",
        "client_id": "test-client",
        "agency": "DGE",
        "zones": ["21"],
        "roles": ["bdf"],
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def validate_all(
    settings: AuthSettings, tokens: list[str], validator: TokenValidator | None = None
) -> list[Principal | AuthError]:
    """Validates tokens in one event loop, with revocation read from Neo4j; errors returned."""

    async def run() -> list[Principal | AuthError]:
        info = resolve_connection(get_settings())
        driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
        try:
            v = validator or TokenValidator(settings)
            v._revocations = GraphRevocationChecker(AsyncGraphStore(driver, info.database))
            out: list[Principal | AuthError] = []
            for token in tokens:
                try:
                    out.append(await v.validate(token))
                except AuthError as exc:
                    out.append(exc)
            return out
        finally:
            await driver.close()

    return asyncio.run(run())


def whoami(base_url: str, token: str) -> httpx.Response:
    return httpx.get(base_url + "/whoami", headers={"Authorization": f"Bearer {token}"})


# --- forged and broken tokens -------------------------------------------------------


def alg_none(live) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims_for(live.settings)).encode())}."


def hs256_with_public_key(live) -> str:
    # The classic key confusion: HMAC keyed with the published public key.
    public_pem = live.server.signing_key.key.as_pem(private=False)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": live.server.signing_key.kid}).encode())
    payload = b64(json.dumps(claims_for(live.settings, roles=["urssaf", "bdf", "auditor"])).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def tampered_payload(live) -> str:
    header, _, signature = live.server.issuer.sign(claims_for(live.settings)).split(".")
    forged = b64(json.dumps(claims_for(live.settings, roles=["urssaf", "bdf", "score"])).encode())
    return f"{header}.{forged}.{signature}"


def tampered_signature(live) -> str:
    header, payload, signature = live.server.issuer.sign(claims_for(live.settings)).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    return f"{header}.{payload}.{b64(bytes(raw))}"


def signed(**overrides: Any) -> Callable[[Any], str]:
    return lambda live: live.server.issuer.sign(claims_for(live.settings, **overrides))


def foreign_key(live) -> str:
    key = RSAKey.generate_key(2048)
    header = {"alg": "RS256", "kid": live.server.signing_key.kid, "typ": "at+jwt"}
    return jwt.encode(header, claims_for(live.settings), key, algorithms=["RS256"])


def unknown_kid(live) -> str:
    key = RSAKey.generate_key(2048)
    header = {"alg": "RS256", "kid": "kid-nobody-published", "typ": "at+jwt"}
    return jwt.encode(header, claims_for(live.settings), key, algorithms=["RS256"])


NOW = int(time.time())
CASES: list[tuple[str, Callable[[Any], str], int, str]] = [
    ("expired", signed(exp=NOW - 3600, iat=NOW - 4000, nbf=NOW - 4000), 401, "TOKEN_EXPIRED"),
    ("not_yet_valid_nbf", signed(nbf=NOW + 3600), 401, "TOKEN_NOT_YET_VALID"),
    ("issued_in_future", signed(iat=NOW + 3600, nbf=None), 401, "TOKEN_NOT_YET_VALID"),
    ("wrong_audience", signed(aud=["another-api"]), 401, "INVALID_TOKEN"),
    ("no_audience", signed(aud=None), 401, "INVALID_TOKEN"),
    ("wrong_issuer", signed(iss="https://evil.example"), 401, "INVALID_TOKEN"),
    ("no_expiry", signed(exp=None), 401, "INVALID_TOKEN"),
    ("alg_none", alg_none, 401, "INVALID_TOKEN"),
    ("hs256_key_confusion", hs256_with_public_key, 401, "INVALID_TOKEN"),
    ("tampered_payload", tampered_payload, 401, "INVALID_TOKEN"),
    ("tampered_signature", tampered_signature, 401, "INVALID_TOKEN"),
    ("signed_by_another_key_same_kid", foreign_key, 401, "INVALID_TOKEN"),
    ("unknown_kid", unknown_kid, 401, "INVALID_TOKEN"),
    ("no_agency", signed(agency=None), 401, "INVALID_TOKEN"),
    ("unknown_zone", signed(zones=["99"]), 401, "INVALID_TOKEN"),
    ("missing_scope", signed(scope="openid profile"), 403, "INSUFFICIENT_SCOPE"),
    ("garbage", lambda live: "not.a.jwt", 401, "INVALID_TOKEN"),
    ("two_parts", lambda live: "abc.def", 401, "INVALID_TOKEN"),
]


@pytest.mark.parametrize(("case", "make", "status", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_tokens_are_refused(live_auth, store: GraphStore, case, make, status, code) -> None:
    token = make(live_auth)
    [result] = validate_all(live_auth.settings, [token])
    assert isinstance(result, AuthError), f"{case} was accepted"
    assert (result.status, result.code) == (status, code)

    response = whoami(live_auth.base_url, token)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.headers["www-authenticate"].startswith("Bearer ")


def test_good_token_and_leeway(live_auth, store: GraphStore) -> None:
    settings = live_auth.settings
    fine = live_auth.server.issuer.sign(claims_for(settings, aud="signaux-api"))
    # Within the leeway for clock skew: just expired, or valid a few seconds from now.
    skewed = live_auth.server.issuer.sign(
        claims_for(settings, exp=int(time.time()) - 5, nbf=int(time.time()) + 5, iat=int(time.time()) + 5)
    )
    for result in validate_all(settings, [fine, skewed]):
        assert isinstance(result, Principal), result
        assert result.roles == frozenset({"bdf"}) and result.agency == "DGE"
    assert whoami(live_auth.base_url, fine).status_code == 200


def test_no_token_and_wrong_scheme(live_auth) -> None:
    r = httpx.get(live_auth.base_url + "/whoami")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "UNAUTHENTICATED"
    assert r.headers["www-authenticate"] == 'Bearer realm="signaux"'
    basic = httpx.get(live_auth.base_url + "/whoami", auth=("user", "pass"))
    assert basic.status_code == 401 and basic.json()["error"]["code"] == "UNAUTHENTICATED"


def test_revoked_token_id_and_grant(live_auth, store: GraphStore) -> None:
    settings = live_auth.settings
    by_jti = claims_for(settings)
    by_sid = claims_for(settings, sid="grant-1")
    tokens = [live_auth.server.issuer.sign(c) for c in (by_jti, by_sid)]
    assert all(isinstance(r, Principal) for r in validate_all(settings, tokens))
    revoke_ids(store, [by_jti["jti"], "grant-1"], int(time.time()) + 600, "test")
    for result in validate_all(settings, tokens):
        assert isinstance(result, AuthError) and result.code == "TOKEN_REVOKED"
    assert whoami(live_auth.base_url, tokens[1]).json()["error"]["code"] == "TOKEN_REVOKED"


def test_unknown_kid_triggers_one_rate_limited_refetch(live_auth, store: GraphStore) -> None:
    settings = live_auth.settings
    assert settings.jwks_min_refetch_interval >= 10
    validator = TokenValidator(settings)
    good = live_auth.server.issuer.sign(claims_for(settings))
    stranger = RSAKey.generate_key(2048)

    def unknown(kid: str) -> str:
        header = {"alg": "RS256", "kid": kid, "typ": "at+jwt"}
        return jwt.encode(header, claims_for(settings), stranger, algorithms=["RS256"])

    results = validate_all(settings, [good], validator)
    assert isinstance(results[0], Principal)
    assert validator.jwks.fetch_count == 1  # discovery + JWKS, then cached

    results = validate_all(settings, [good, unknown("kid-a")], validator)
    assert isinstance(results[0], Principal)
    assert isinstance(results[1], AuthError) and results[1].code == "INVALID_TOKEN"
    assert validator.jwks.fetch_count == 2  # one refetch for the unknown kid

    results = validate_all(settings, [unknown("kid-b"), unknown("kid-c")], validator)
    assert all(isinstance(r, AuthError) and r.code == "INVALID_TOKEN" for r in results)
    assert validator.jwks.fetch_count == 2  # rate-limited: no fetch storm


def test_rotated_key_is_found_by_refetch(live_auth, store: GraphStore) -> None:
    settings = dataclasses.replace(live_auth.settings, jwks_min_refetch_interval=0)
    validator = TokenValidator(settings)
    assert isinstance(
        validate_all(settings, [live_auth.server.issuer.sign(claims_for(settings))], validator)[0], Principal
    )
    assert validator.jwks.fetch_count == 1

    new_key = RSAKey.generate_key(2048)
    path = settings.key_dir / "previous-rotation-test.pem"
    path.write_bytes(new_key.as_pem(private=False))
    try:
        header = {"alg": "RS256", "kid": new_key.thumbprint(), "typ": "at+jwt"}
        token = jwt.encode(header, claims_for(settings), new_key, algorithms=["RS256"])
        [result] = validate_all(settings, [token], validator)
        assert isinstance(result, Principal), result
        assert validator.jwks.fetch_count == 2
    finally:
        path.unlink()


def test_settings_refuse_weak_algorithms() -> None:
    for algs in ("HS256", "none", "RS256,HS256", ""):
        with pytest.raises(ValueError, match="SIGNAUX_AUTH_ALGORITHMS"):
            AuthSettings.from_env({"SIGNAUX_AUTH_ALGORITHMS": algs})
    assert AuthSettings.from_env({"SIGNAUX_AUTH_ALGORITHMS": "ES256"}).algorithms == ("ES256",)


def test_settings_defaults_and_issuer_kept_verbatim() -> None:
    embedded = AuthSettings.from_env({"SIGNAUX_PUBLIC_URL": "https://signaux.example/"})
    assert embedded.embedded and embedded.issuer == "https://signaux.example"
    assert embedded.secure_cookies
    external = AuthSettings.from_env({"SIGNAUX_AUTH_ISSUER": "https://tenant.example/"})
    assert not external.embedded
    assert external.issuer == "https://tenant.example/"  # compared verbatim with iss
    assert external.openid_configuration_url == "https://tenant.example/.well-known/openid-configuration"
    with pytest.raises(ValueError, match="SIGNAUX_AUTH_LEEWAY"):
        AuthSettings.from_env({"SIGNAUX_AUTH_LEEWAY": "soon"})


def test_a_signature_checked_once_still_leaves_every_other_check(live_auth, store: GraphStore) -> None:
    # The signature check of a token is remembered per key; expiry, revocation and the key itself are not.
    settings = live_auth.settings
    now = [time.time()]
    validator = TokenValidator(settings, clock=lambda: now[0])
    claims = claims_for(settings, exp=int(now[0]) + 60)
    token = live_auth.server.issuer.sign(claims)
    first, second = validate_all(settings, [token, token], validator)
    assert isinstance(first, Principal) and isinstance(second, Principal)
    assert validator.signature_checks == 1
    # expired since: refused, although its signature is remembered
    now[0] += 60 + settings.leeway_seconds + 1
    [late] = validate_all(settings, [token], validator)
    assert isinstance(late, AuthError) and late.code == "TOKEN_EXPIRED"
    now[0] = time.time()
    # revoked since: refused
    revoke_ids(store, [claims["jti"]], int(time.time()) + 600, "test")
    [revoked] = validate_all(settings, [token], validator)
    assert isinstance(revoked, AuthError) and revoked.code == "TOKEN_REVOKED"
    assert validator.signature_checks == 1
    # the issuer's key is now another one (rotated): the signature is checked again, and fails
    other = RSAKey.generate_key(2048)

    async def rotated(kid: str | None, alg: str) -> Any:
        return other

    validator.jwks.key_for = rotated  # type: ignore[method-assign]
    [refused] = validate_all(settings, [token], validator)
    assert isinstance(refused, AuthError) and refused.code == "INVALID_TOKEN"
    assert validator.signature_checks == 2
