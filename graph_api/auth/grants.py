"""authlib grants of the embedded server, bound to Neo4j storage.

- Authorization code with PKCE, S256 only and required for every client (OAuth 2.1):
  codes are single-use; presenting a used code revokes every token of its grant
  (RFC 6749 §4.1.2).
- Refresh token with rotation: each refresh token works once; presenting a rotated
  one again is taken as theft and revokes the grant (RFC 9700 §4.14.2).
- Client credentials for confidential service clients.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge

from graph_api.auth import repository as repo
from graph_api.auth.models import AuthorizationCode, GrantSubject, OAuthClient, RefreshToken
from graph_api.auth.passwords import token_hash
from graph_api.auth.repository import CodeState

if TYPE_CHECKING:
    from graph_api.auth.server import EmbeddedAuthorizationServer

log = logging.getLogger(__name__)

# Confidential clients send their secret; public ones (PKCE) send only their id.
_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


class S256CodeChallenge(CodeChallenge):  # type: ignore[misc]  # authlib is untyped
    """PKCE with S256 only, required for every client, checked at the authorization endpoint.

    ``plain`` sends the verifier in clear through the browser, which defeats PKCE's
    purpose; a request without a challenge is refused instead of silently
    downgraded.
    """

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        """Refuses a missing challenge or a method other than S256, then defers to authlib."""
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256 (plain is refused)")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        """Every code was issued with a challenge, so every redemption needs its verifier."""
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        super().validate_code_verifier(grant, result)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """The code grant, storing codes by hash in Neo4j."""

    TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS
    server: EmbeddedAuthorizationServer

    def save_authorization_code(self, code: str, request: Any) -> None:
        """Stores the code with the PKCE challenge, the grant id and the nonce."""
        subject: GrantSubject = request.user
        if subject.agent is None:
            raise InvalidRequestError("no agent logged in")
        data = request.payload.data
        self.server.repo_call(
            repo.save_code,
            AuthorizationCode(
                id=token_hash(code),
                client_id=request.client.client_id,
                sub=subject.agent.sub,
                redirect_uri=request.payload.redirect_uri or "",
                scope=request.scope or "",
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                expires_at=int(self.server.clock()) + self.server.settings.code_ttl,
                grant_id=subject.grant_id,
                nonce=data.get("nonce"),
                auth_time=subject.auth_time,
            ),
        )

    def query_authorization_code(self, code: str, client: OAuthClient) -> AuthorizationCode | None:
        """Consumes the code; a replay revokes the grant and is refused."""
        state, stored = self.server.repo_call(repo.consume_code, token_hash(code), client.client_id)
        if state is CodeState.REUSED and stored is not None:
            log.warning("authorization code replayed for client %s: revoking its grant", client.client_id)
            self.server.revoke_grant(stored.grant_id, "code_reuse")
            return None
        if state is not CodeState.VALID:
            return None
        result: AuthorizationCode | None = stored
        return result

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: the code was marked used when redeemed and is kept to detect replays."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> GrantSubject | None:
        """The agent the code was issued to, if they still exist."""
        agent = self.server.repo_call(repo.get_agent, authorization_code.sub)
        if agent is None:
            return None
        return GrantSubject(agent, authorization_code.grant_id, authorization_code.nonce, authorization_code.auth_time)

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        """The token response, with an OpenID ID token when ``openid`` was granted."""
        status, token, headers = super().create_token_response()
        scope = str(token.get("scope", "")).split()
        if "openid" in scope:
            token["id_token"] = self.server.issuer.id_token(self.request.client, self.request.user)
        return status, token, headers


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    """Refresh with rotation: the old refresh token dies when the new one is issued."""

    TOKEN_ENDPOINT_AUTH_METHODS = _AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: EmbeddedAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        """Consumes the refresh token; a replayed one revokes its whole grant."""
        first_use, stored = self.server.repo_call(repo.rotate_refresh_token, token_hash(refresh_token))
        if stored is None:
            return None
        if not first_use:
            log.warning("refresh token replayed for client %s: revoking its grant", stored.client_id)
            self.server.revoke_grant(stored.grant_id, "refresh_reuse")
            return None
        if stored.is_expired():
            return None
        if not stored.check_client(self.request.client):
            # Bound to its client: a token stolen by another client is useless (RFC 6749 §6).
            raise InvalidGrantError()
        return stored

    def authenticate_user(self, refresh_token: RefreshToken) -> GrantSubject | None:
        """The agent of the grant, re-read so that changed roles or zones apply at once."""
        agent = self.server.repo_call(repo.get_agent, refresh_token.sub)
        if agent is None:
            return None
        return GrantSubject(agent, refresh_token.grant_id)

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        """Already done: the token was marked rotated when it was presented."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """Service tokens for confidential clients."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]
