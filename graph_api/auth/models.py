"""What the embedded authorization server keeps: agents, clients, codes, refresh tokens.

The classes implement the methods authlib's grants call (``ClientMixin``,
``AuthorizationCodeMixin``, ``TokenMixin`` of ``authlib.oauth2.rfc6749``) by duck
typing; they are plain frozen dataclasses read from and written to Neo4j by
``graph_api.auth.repository``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from graph_api.auth.passwords import verify_secret


class ClientKind(StrEnum):
    """A public client (browser front-end, no secret, PKCE) or a confidential one."""

    PUBLIC = "public"
    CONFIDENTIAL = "confidential"


@dataclass(frozen=True)
class AgentAccount:
    """A person who may log in to the embedded server.

    Attributes:
        sub: stable identifier, also the login name.
        name: display name.
        agency: agency code (``(Agent)-[:WORKS_FOR]->(Agency)``).
        zones: zones as configured (départements, ``R<region>`` or aliases).
        roles: data roles and ``auditor``.
        email: e-mail address, optional.
    """

    sub: str
    name: str
    agency: str
    zones: tuple[str, ...]
    roles: tuple[str, ...]
    email: str | None = None


@dataclass(frozen=True)
class GrantSubject:
    """The resource owner of one grant, as authlib's ``request.user``.

    Attributes:
        agent: the agent, or None for a client-credentials (service) grant.
        grant_id: the grant every token of this login carries as ``sid``; revoking it
            revokes the whole family (codes, access and refresh tokens).
        nonce: the OpenID ``nonce`` of the authorization request, echoed in the ID token.
        auth_time: when the agent logged in (Unix seconds).
    """

    agent: AgentAccount | None
    grant_id: str
    nonce: str | None = None
    auth_time: int | None = None


@dataclass(frozen=True)
class OAuthClient:
    """A registered OAuth client.

    Attributes:
        client_id: the public identifier.
        name: shown on the login page.
        kind: public (PKCE, no secret) or confidential (secret, hashed).
        secret_hash: scrypt hash of the secret (confidential clients).
        redirect_uris: exact redirect URIs allowed for the code flow.
        grant_types: ``authorization_code``, ``refresh_token``, ``client_credentials``.
        scopes: scopes the client may obtain; also the default when none is asked.
        agency: for service clients, the agency their tokens act for.
        zones: for service clients, the zones of their tokens.
        roles: for service clients, the roles of their tokens.
    """

    client_id: str
    name: str
    kind: ClientKind
    secret_hash: str | None
    redirect_uris: tuple[str, ...]
    grant_types: tuple[str, ...]
    scopes: tuple[str, ...]
    agency: str | None = None
    zones: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    # --- authlib ClientMixin ---
    def get_client_id(self) -> str:
        """The client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """The only redirect URI when there is exactly one (RFC 6749 §3.1.2.3)."""
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        """The requested scopes this client may have; all of its scopes when none asked."""
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match only: no prefix or wildcard, which open redirects exploit."""
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        """True when the secret matches (always False for public clients)."""
        return self.kind is ClientKind.CONFIDENTIAL and verify_secret(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Public clients authenticate with ``none``, confidential ones with a secret."""
        if self.kind is ClientKind.PUBLIC:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        """Only ``code``, for clients allowed the authorization code grant."""
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        """True when the client may use ``grant_type``; never client credentials when public."""
        if grant_type == "client_credentials" and self.kind is ClientKind.PUBLIC:
            return False
        return grant_type in self.grant_types


@dataclass(frozen=True)
class AuthorizationCode:
    """An issued authorization code (stored by its SHA-256, never in clear).

    Attributes:
        id: SHA-256 of the code.
        client_id: the client it was issued to.
        sub: the agent who logged in.
        redirect_uri: the redirect URI of the request, to be repeated at the token endpoint.
        scope: the granted scopes.
        code_challenge: the PKCE challenge.
        code_challenge_method: always ``S256``.
        expires_at: Unix seconds.
        grant_id: the grant (``sid``) of the tokens it yields.
        nonce: the OpenID nonce, if any.
        auth_time: when the agent logged in.
    """

    id: str
    client_id: str
    sub: str
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    expires_at: int
    grant_id: str
    nonce: str | None = None
    auth_time: int | None = None

    # --- authlib AuthorizationCodeMixin ---
    def get_redirect_uri(self) -> str:
        """The redirect URI given in the authorization request."""
        return self.redirect_uri

    def get_scope(self) -> str:
        """The granted scopes."""
        return self.scope

    def is_expired(self) -> bool:
        """True once its short life is over."""
        return time.time() >= self.expires_at


@dataclass(frozen=True)
class RefreshToken:
    """A refresh token (stored by its SHA-256). Used once: each refresh rotates it.

    Attributes:
        id: SHA-256 of the token.
        client_id: the client it was issued to.
        sub: the agent.
        scope: the granted scopes.
        grant_id: the grant it belongs to.
        expires_at: Unix seconds.
        issued_at: Unix seconds.
    """

    id: str
    client_id: str
    sub: str
    scope: str
    grant_id: str
    expires_at: int
    issued_at: int

    # --- authlib TokenMixin ---
    def check_client(self, client: OAuthClient) -> bool:
        """True when ``client`` is the one it was issued to."""
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        """The granted scopes."""
        return self.scope

    def get_expires_in(self) -> int:
        """Its lifetime in seconds."""
        return self.expires_at - self.issued_at

    def is_expired(self) -> bool:
        """True once expired."""
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        """Stored refresh tokens are live; revoked or rotated ones are deleted or flagged."""
        return False


@dataclass(frozen=True)
class AccessTokenRef:
    """An access token presented to the revocation endpoint (it is a JWT, not stored).

    Attributes:
        jti: its id.
        client_id: the client it was issued to.
        expires_at: its ``exp``.
    """

    jti: str
    client_id: str
    expires_at: int

    def check_client(self, client: OAuthClient) -> bool:
        """True when ``client`` is the one it was issued to."""
        return client.client_id == self.client_id
