"""Discovery documents of the embedded server: RFC 8414 and OpenID Connect Discovery."""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata

from graph_api.auth.principal import Scope
from graph_api.auth.settings import AuthSettings

AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"  # noqa: S105 - a URL path, not a secret
REVOKE_PATH = "/oauth/revoke"
JWKS_PATH = "/oauth/jwks"
OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration"
OAUTH_METADATA_PATH = "/.well-known/oauth-authorization-server"

SCOPES_SUPPORTED: tuple[str, ...] = ("openid", "profile", "email", Scope.READ.value, Scope.WRITE.value)
CLIENT_AUTH_METHODS: tuple[str, ...] = ("client_secret_basic", "client_secret_post", "none")


def server_metadata(settings: AuthSettings) -> dict[str, Any]:
    """The metadata document, valid for both RFC 8414 and OpenID Connect Discovery 1.0.

    Raises:
        ValueError: the document is invalid (a misconfigured issuer URL).
    """
    base = settings.public_url
    doc: dict[str, Any] = {
        "issuer": settings.issuer,
        "authorization_endpoint": base + AUTHORIZE_PATH,
        "token_endpoint": base + TOKEN_PATH,
        "jwks_uri": base + JWKS_PATH,
        "revocation_endpoint": base + REVOKE_PATH,
        "scopes_supported": list(SCOPES_SUPPORTED),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid",
            "name", "preferred_username", "email", "agency", "zones", "roles",
        ],
    }  # fmt: skip
    try:
        AuthorizationServerMetadata(doc).validate()
        OpenIDProviderMetadata(doc).validate()
    except Exception as exc:  # authlib raises ValueError or its own errors
        raise ValueError(f"invalid authorization server metadata: {exc}") from exc
    return doc
