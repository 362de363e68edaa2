"""Authentication and authorisation failures, with a stable code for clients."""

from __future__ import annotations

from enum import StrEnum


class AuthErrorCode(StrEnum):
    """Stable codes clients may branch on; the message is for people and may change."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 - an error code, not a secret
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105 - an error code, not a secret
    TOKEN_NOT_YET_VALID = "TOKEN_NOT_YET_VALID"  # noqa: S105 - an error code, not a secret
    TOKEN_REVOKED = "TOKEN_REVOKED"  # noqa: S105 - an error code, not a secret
    INSUFFICIENT_SCOPE = "INSUFFICIENT_SCOPE"
    AUTH_UNAVAILABLE = "AUTH_UNAVAILABLE"


# RFC 6750 §3.1 error names for the WWW-Authenticate header.
_BEARER_ERROR = {
    AuthErrorCode.UNAUTHENTICATED: None,
    AuthErrorCode.INVALID_TOKEN: "invalid_token",
    AuthErrorCode.TOKEN_EXPIRED: "invalid_token",
    AuthErrorCode.TOKEN_NOT_YET_VALID: "invalid_token",
    AuthErrorCode.TOKEN_REVOKED: "invalid_token",
    AuthErrorCode.INSUFFICIENT_SCOPE: "insufficient_scope",
    AuthErrorCode.AUTH_UNAVAILABLE: None,
}

_STATUS = {
    AuthErrorCode.INSUFFICIENT_SCOPE: 403,
    # The issuer's keys could not be fetched: not the client's fault, retry later.
    AuthErrorCode.AUTH_UNAVAILABLE: 503,
}


class AuthError(Exception):
    """A request could not be authenticated (401) or lacks a scope (403).

    Args:
        code: the stable code.
        message: a short explanation safe to show to the client (never a token or a key).
        scopes: for ``INSUFFICIENT_SCOPE``, the scopes the request needed.

    Attributes:
        status: the HTTP status: 401 for a missing or invalid token, 403 for a missing
            scope, 503 when the issuer's keys are unreachable.
        code: the ``AuthErrorCode`` value as a plain string.
    """

    def __init__(self, code: AuthErrorCode, message: str, scopes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.error_code = code
        self.code: str = code.value
        self.message = message
        self.status: int = _STATUS.get(code, 401)
        self.scopes = scopes

    def www_authenticate(self, realm: str = "signaux") -> str:
        """The ``WWW-Authenticate`` header value of RFC 6750 for this error."""
        parts = [f'realm="{realm}"']
        bearer_error = _BEARER_ERROR[self.error_code]
        if bearer_error:
            parts.append(f'error="{bearer_error}"')
            parts.append(f'error_description="{_quote(self.message)}"')
        if self.scopes:
            parts.append(f'scope="{" ".join(self.scopes)}"')
        return "Bearer " + ", ".join(parts)

    def to_dict(self) -> dict[str, str]:
        """A JSON body for plain HTTP endpoints: ``{"code": ..., "message": ...}``."""
        return {"code": self.code, "message": self.message}

    def __repr__(self) -> str:
        return f"AuthError({self.code}, {self.message!r})"


def _quote(text: str) -> str:
    # Header values must not break out of the quoted string.
    return text.replace("\\", "\\\\").replace('"', "'")
