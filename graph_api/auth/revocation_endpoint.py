"""RFC 7009 token revocation for the embedded server.

Revoking a refresh token revokes its whole grant, access tokens included (RFC 7009
§2.1 "SHOULD"); revoking an access token records its ``jti`` until it expires.
Unknown or foreign-signed tokens get the same empty 200 as valid ones, so the
endpoint tells nothing about which tokens exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc7009 import RevocationEndpoint as _AuthlibRevocationEndpoint
from joserfc import jwt
from joserfc.errors import JoseError

from graph_api.auth import repository as repo
from graph_api.auth.models import AccessTokenRef, RefreshToken
from graph_api.auth.passwords import token_hash

if TYPE_CHECKING:
    from graph_api.auth.server import EmbeddedAuthorizationServer


class RevocationEndpoint(_AuthlibRevocationEndpoint):  # type: ignore[misc]  # authlib is untyped
    """``POST /oauth/revoke`` with ``token`` and an optional ``token_type_hint``."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]
    server: EmbeddedAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> RefreshToken | AccessTokenRef | None:
        """The refresh token or access token presented, whatever the hint says first."""
        if token_type_hint != "access_token":  # noqa: S105 - a token type name
            found = repo.find_refresh_token(self.server.store, token_hash(token_string))
            if found is not None:
                return found
        return self._access_token(token_string)

    def _access_token(self, token_string: str) -> AccessTokenRef | None:
        try:
            decoded = jwt.decode(token_string, self.server.signing_key.key, algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        claims: dict[str, Any] = decoded.claims
        jti, client_id, exp = claims.get("jti"), claims.get("client_id"), claims.get("exp")
        if not isinstance(jti, str) or not isinstance(client_id, str) or not isinstance(exp, int):
            return None
        return AccessTokenRef(jti, client_id, exp)

    def revoke_token(self, token: RefreshToken | AccessTokenRef, request: Any) -> None:
        """Revokes the grant of a refresh token, or the access token's ``jti``."""
        if isinstance(token, RefreshToken):
            self.server.revoke_grant(token.grant_id, "revoked")
        else:
            repo.revoke_token_ids(self.server.store, [token.jti], token.expires_at + 60)
