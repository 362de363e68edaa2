"""Tokens from an external OpenID provider shaped like Keycloak, mapped by configuration.

A small identity provider runs in uvicorn with Keycloak's URL layout, discovery
document and JWKS (an ES256 signing key and an RSA encryption key, as Keycloak
publishes); the validator fetches them over HTTP like it would from Keycloak.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.auth import testing as auth_testing
from graph_api.auth.claims import to_principal
from graph_api.auth.errors import AuthError
from graph_api.auth.principal import Principal
from graph_api.auth.resource_server import VALIDATOR_STATE_KEY, TokenValidator, auth_error_response, authenticate
from graph_api.auth.settings import AuthSettings, ClaimMapping
from graphstore.local import free_port

REALM = "signaux"


@dataclass
class FakeKeycloak:
    base_url: str
    issuer: str
    signing_key: ECKey
    encryption_key: RSAKey
    hits: dict[str, int]

    def token(self, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "exp": now + 300,
            "iat": now,
            "auth_time": now - 10,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
            "aud": ["signaux-api", "account"],
            "sub": "f3c1a2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
            "typ": "Bearer",
            "azp": "signaux-web",
            "sid": str(uuid.uuid4()),
            "acr": "1",
            "allowed-origins": ["http://localhost:5173"],
            "realm_access": {"roles": ["offline_access", "uma_authorization", "default-roles-signaux", "detection"]},
            "resource_access": {
                "signaux-api": {"roles": ["urssaf", "score"]},
                "account": {"roles": ["manage-account", "view-profile"]},
            },
            "scope": "openid profile email signaux",
            "email_verified": True,
            "name": "Claire Morel",
            "preferred_username": "cmorel",
            "given_name": "Claire",
            "family_name": "Morel",
            "email": "claire.morel@urssaf.fr",
            "agency": ["URSSAF-BFC"],
            "zones": "BFC 75",
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        header = {"alg": "ES256", "typ": "JWT", "kid": self.signing_key.kid}
        return jwt.encode(header, claims, self.signing_key, algorithms=["ES256"])


def keycloak_settings(kc: FakeKeycloak, **env: str) -> AuthSettings:
    return AuthSettings.from_env(
        {
            "SIGNAUX_AUTH_ISSUER": kc.issuer,
            "SIGNAUX_AUTH_AUDIENCE": "signaux-api",
            "SIGNAUX_AUTH_CLIENT_ROLES": "signaux-api",
            **env,
        }
    )


def validate(settings: AuthSettings, token: str) -> Principal | AuthError:
    async def run() -> Principal | AuthError:
        try:
            return await TokenValidator.from_settings(settings).validate(token)
        except AuthError as exc:
            return exc

    return asyncio.run(run())


@pytest.fixture(scope="module")
def keycloak() -> Iterator[FakeKeycloak]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    issuer = f"{base}/realms/{REALM}"
    signing = ECKey.generate_key("P-256", auto_kid=True)
    encryption = RSAKey.generate_key(2048, auto_kid=True)
    hits = {"discovery": 0, "certs": 0}
    kc = FakeKeycloak(base, issuer, signing, encryption, hits)

    async def discovery(request: Request) -> Response:
        hits["discovery"] += 1
        realm = request.path_params["realm"]
        # The "liar" realm's document names another issuer, as a hijacked proxy might.
        named = "https://other.example/realms/x" if realm == "liar" else f"{base}/realms/{realm}"
        return JSONResponse(
            {
                "issuer": named,
                "jwks_uri": f"{base}/realms/{realm}/protocol/openid-connect/certs",
                "authorization_endpoint": f"{base}/realms/{realm}/protocol/openid-connect/auth",
                "token_endpoint": f"{base}/realms/{realm}/protocol/openid-connect/token",
                "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            }
        )

    async def certs(request: Request) -> Response:
        hits["certs"] += 1
        return JSONResponse(
            {
                "keys": [
                    {**signing.as_dict(private=False), "use": "sig", "alg": "ES256"},
                    {**encryption.as_dict(private=False), "use": "enc", "alg": "RSA-OAEP"},
                ]
            }
        )

    async def whoami(request: Request) -> Response:
        try:
            p = await authenticate(request)
        except AuthError as exc:
            return auth_error_response(exc)
        return JSONResponse({"sub": p.sub, "roles": sorted(p.roles), "agency": p.agency})

    app = Starlette(
        routes=[
            Route("/realms/{realm}/.well-known/openid-configuration", discovery),
            Route("/realms/{realm}/protocol/openid-connect/certs", certs),
            Route("/whoami", whoami),
        ]
    )
    setattr(app.state, VALIDATOR_STATE_KEY, TokenValidator.from_settings(keycloak_settings(kc)))
    with auth_testing.live_server(app, port):
        yield kc


def test_keycloak_token_is_mapped_as_it_is(keycloak: FakeKeycloak) -> None:
    settings = keycloak_settings(keycloak)
    assert settings.embedded is False
    p = validate(settings, keycloak.token())
    assert isinstance(p, Principal), p
    assert p.sub == "f3c1a2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
    assert p.name == "Claire Morel"
    assert p.agency == "URSSAF-BFC"
    # Client roles of signaux-api + realm roles, Keycloak's own roles dropped.
    assert p.roles == frozenset({"urssaf", "score", "detection"})
    assert p.zones == frozenset({"21", "25", "39", "58", "70", "71", "89", "90", "75"})
    assert p.scopes == frozenset({"openid", "profile", "email", "signaux"})
    assert p.client_id == "signaux-web"
    assert p.email == "claire.morel@urssaf.fr"
    assert p.is_service is False

    r = httpx.get(keycloak.base_url + "/whoami", headers={"Authorization": f"Bearer {keycloak.token()}"})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "sub": "f3c1a2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
        "roles": ["detection", "score", "urssaf"],
        "agency": "URSSAF-BFC",
    }


def test_name_falls_back_to_preferred_username(keycloak: FakeKeycloak) -> None:
    p = validate(keycloak_settings(keycloak), keycloak.token(name=None))
    assert isinstance(p, Principal) and p.name == "cmorel"


def test_keycloak_service_account_is_a_service(keycloak: FakeKeycloak) -> None:
    token = keycloak.token(preferred_username="service-account-scoring", name=None, azp="scoring")
    p = validate(keycloak_settings(keycloak), token)
    assert isinstance(p, Principal) and p.is_service and p.client_id == "scoring"


def test_configured_mapping_prefix_and_paths(keycloak: FakeKeycloak) -> None:
    settings = keycloak_settings(
        keycloak,
        SIGNAUX_AUTH_ROLE_PREFIX="signaux-",
        SIGNAUX_AUTH_REALM_ROLES="false",
        SIGNAUX_AUTH_AGENCY_CLAIM="attributes.agency",
        SIGNAUX_AUTH_ZONES_CLAIM="attributes.zones",
    )
    token = keycloak.token(
        agency=None,
        zones=None,
        attributes={"agency": "BDF-BFC", "zones": ["21"]},
        resource_access={"signaux-api": {"roles": ["signaux-bdf", "urssaf", "signaux-admin"]}},
    )
    p = validate(settings, token)
    assert isinstance(p, Principal), p
    # Unprefixed and unknown roles are ignored; realm roles are off.
    assert p.roles == frozenset({"bdf"})
    assert p.agency == "BDF-BFC" and p.zones == frozenset({"21"})


def test_keycloak_tokens_for_other_clients_or_realms_are_refused(keycloak: FakeKeycloak) -> None:
    settings = keycloak_settings(keycloak)
    other_audience = validate(settings, keycloak.token(aud="account"))
    assert isinstance(other_audience, AuthError) and other_audience.code == "INVALID_TOKEN"
    other_realm = validate(settings, keycloak.token(iss=f"{keycloak.base_url}/realms/master"))
    assert isinstance(other_realm, AuthError) and other_realm.code == "INVALID_TOKEN"
    # The encryption key is not a signature key, even with a matching kid and type.
    header = {"alg": "RS256", "typ": "JWT", "kid": keycloak.encryption_key.kid}
    now = int(time.time())
    claims = {"iss": keycloak.issuer, "aud": "signaux-api", "sub": "x", "iat": now, "exp": now + 60,
              "agency": "DGE", "scope": "signaux"}  # fmt: skip
    enc_signed = jwt.encode(header, claims, keycloak.encryption_key, algorithms=["RS256"])
    refused = validate(settings, enc_signed)
    assert isinstance(refused, AuthError) and refused.code == "INVALID_TOKEN"


def test_discovery_naming_another_issuer_is_not_trusted(keycloak: FakeKeycloak) -> None:
    settings = AuthSettings.from_env(
        {
            "SIGNAUX_AUTH_ISSUER": f"{keycloak.base_url}/realms/liar",
            "SIGNAUX_AUTH_AUDIENCE": "signaux-api",
        }
    )
    result = validate(settings, keycloak.token(iss=f"{keycloak.base_url}/realms/liar"))
    assert isinstance(result, AuthError)
    assert (result.status, result.code) == (503, "AUTH_UNAVAILABLE")


def test_claim_mapping_without_a_server() -> None:
    mapping = ClaimMapping(client_roles=("signaux-api",))
    p = to_principal(
        {"sub": "s", "agency": "DGE", "zones": ["R27"], "scp": ["signaux"], "client_id": "svc", "roles": ["BDF"]},
        mapping,
    )
    assert p.roles == frozenset({"bdf"}) and p.scopes == frozenset({"signaux"}) and p.client_id == "svc"
    assert "21" in p.zones and p.name == "s"
