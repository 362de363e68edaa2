"""Access tokens and ID tokens of the embedded authorization server: RS256 JWTs.

Access tokens follow RFC 9068 (``typ: at+jwt``) and carry the claims the default
claim mapping reads (``agency``, ``zones``, ``roles``, ``name``), so embedded and
external tokens go through the same validator.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from joserfc import jwt

from graph_api.auth.keys import SigningKey
from graph_api.auth.models import GrantSubject, OAuthClient
from graph_api.auth.settings import AuthSettings

# Length in bytes of refresh tokens and token ids: 256 bits, unguessable.
_TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedAccessToken:
    """A signed access token and what the server must remember about it.

    Attributes:
        token: the compact JWT.
        jti: its id.
        expires_at: its ``exp``.
    """

    token: str
    jti: str
    expires_at: int


class TokenIssuer:
    """Signs tokens with the server's key.

    Args:
        settings: issuer, audience and lifetimes.
        key: the signing key.
        clock: Unix seconds (tests may shift it to mint expired or future tokens).
    """

    def __init__(self, settings: AuthSettings, key: SigningKey, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.key = key
        self._clock = clock

    def sign(self, claims: dict[str, Any], typ: str = "at+jwt") -> str:
        """Signs arbitrary claims with the server key (RS256, with ``kid``)."""
        header = {"alg": "RS256", "kid": self.key.kid, "typ": typ}
        return jwt.encode(header, claims, self.key.key, algorithms=["RS256"])

    def access_token(
        self, client: OAuthClient, subject: GrantSubject | None, scope: str, lifetime: int | None = None
    ) -> IssuedAccessToken:
        """An access token for an agent (code/refresh grants) or a service (client credentials).

        Args:
            client: the client the token is issued to.
            subject: the agent's grant, or None for a service token.
            scope: the granted scopes, space separated.
            lifetime: seconds; ``settings.access_token_ttl`` when omitted.
        """
        now = int(self._clock())
        jti = secrets.token_urlsafe(_TOKEN_BYTES)
        exp = now + (self.settings.access_token_ttl if lifetime is None else lifetime)
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": [self.settings.audience],
            "iat": now,
            "nbf": now,
            "exp": exp,
            "jti": jti,
            "client_id": client.client_id,
            "azp": client.client_id,
            "scope": scope,
        }
        agent = subject.agent if subject else None
        if agent is not None and subject is not None:
            claims.update(
                sub=agent.sub,
                sid=subject.grant_id,
                name=agent.name,
                preferred_username=agent.sub,
                agency=agent.agency,
                zones=list(agent.zones),
                roles=list(agent.roles),
                token_use="access",  # noqa: S106 - a claim value
            )
            if agent.email:
                claims["email"] = agent.email
            if subject.auth_time:
                claims["auth_time"] = subject.auth_time
        else:
            # A service acts under its own name, for the agency and zones it was registered with.
            claims.update(
                sub=client.client_id,
                sid=jti,
                name=client.name,
                preferred_username=client.client_id,
                agency=client.agency or "",
                zones=list(client.zones),
                roles=list(client.roles),
                token_use="service",  # noqa: S106 - a claim value
            )
        return IssuedAccessToken(self.sign(claims), jti, exp)

    def id_token(self, client: OAuthClient, subject: GrantSubject) -> str:
        """An OpenID Connect ID token for the client (``aud`` is the client, not the API)."""
        agent = subject.agent
        if agent is None:
            raise ValueError("an ID token needs an agent")
        now = int(self._clock())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": client.client_id,
            "sub": agent.sub,
            "iat": now,
            "exp": now + self.settings.access_token_ttl,
            "auth_time": subject.auth_time or now,
            "sid": subject.grant_id,
            "name": agent.name,
            "preferred_username": agent.sub,
            "agency": agent.agency,
        }
        if subject.nonce:
            claims["nonce"] = subject.nonce
        return self.sign(claims, typ="JWT")


def new_opaque_token() -> str:
    """A random URL-safe token (authorization codes, refresh tokens, grant ids)."""
    return secrets.token_urlsafe(_TOKEN_BYTES)
