"""The API as an OAuth 2.0 resource server: bearer JWT access tokens in, ``Principal`` out.

Every check that matters is made here, on every request: the algorithm (RS256/ES256
only, so neither ``none`` nor an HMAC algorithm keyed with the public key gets
through), the signature against the issuer's published keys, ``iss``, ``aud``,
``exp``, ``nbf``, ``iat`` (with a small leeway for clock skew), revocation (embedded
issuer), then the claims are mapped to a ``Principal`` and the scopes checked.

The one result kept between requests is that a given token string carries a valid
signature by a given key object (``VERIFIED_TOKENS`` of them): the RSA check is a pure
function of both, and was 5 % of a company page's CPU under load. A key that leaves the
issuer's keys, or a refreshed key set, is a different object: the token is checked
again. Every other check above, revocation included, runs on every request.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from graph_api.auth.claims import to_principal
from graph_api.auth.errors import AuthError, AuthErrorCode
from graph_api.auth.jwks import JwksCache, VerifyKey
from graph_api.auth.principal import Principal
from graph_api.auth.revocation import GraphRevocationChecker, RevocationChecker
from graph_api.auth.settings import AuthSettings, get_auth_settings

log = logging.getLogger(__name__)

#: Key of the validator in ``app.state`` for the module-level ``authenticate``.
VALIDATOR_STATE_KEY = "token_validator"

# Access tokens are JWTs (RFC 9068 says "at+jwt"); ID tokens and others are refused
# only by audience, but an explicit foreign type is refused here.
_ACCEPTED_TYPES = {None, "JWT", "AT+JWT", "APPLICATION/AT+JWT"}


def _invalid(message: str) -> AuthError:
    return AuthError(AuthErrorCode.INVALID_TOKEN, message)


def _b64json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise _invalid("the token is malformed") from None


def _numeric(claims: Mapping[str, Any], name: str, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise _invalid(f"the token has no '{name}' claim")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise _invalid(f"the '{name}' claim is not a date")
    return float(value)


VERIFIED_TOKENS = 4096
"""Tokens whose signature check is remembered (least recently used dropped first)."""


class TokenValidator:
    """Validates bearer access tokens from the configured issuer.

    Args:
        settings: issuer, audience, algorithms, claim mapping, leeway, cache TTLs.
        revocations: where revoked token ids are kept; None to skip the check
            (external issuers, whose tokens are short-lived).
        clock: wall clock in Unix seconds (for exp/nbf/iat).
        jwks: the key cache; one is built from ``settings`` when omitted.
    """

    def __init__(
        self,
        settings: AuthSettings,
        revocations: RevocationChecker | None = None,
        clock: Callable[[], float] = time.time,
        jwks: JwksCache | None = None,
    ) -> None:
        self.settings = settings
        self.jwks = jwks or JwksCache(settings)
        self._revocations = revocations
        self._clock = clock
        self._verified: OrderedDict[str, tuple[VerifyKey, Mapping[str, Any]]] = OrderedDict()
        self.signature_checks = 0

    @classmethod
    def from_settings(cls, settings: AuthSettings | None = None) -> TokenValidator:
        """The validator the API uses: revocation is checked in Neo4j in embedded mode.

        Args:
            settings: the settings; the process-wide ones when omitted.
        """
        settings = settings or get_auth_settings()
        return cls(settings, revocations=GraphRevocationChecker() if settings.embedded else None)

    async def validate(self, token: str, required_scopes: Iterable[str] = ()) -> Principal:
        """Checks a token and returns who it stands for.

        Args:
            token: the compact JWT, without the ``Bearer`` prefix.
            required_scopes: scopes needed on top of ``settings.required_scopes``.

        Raises:
            AuthError: 401 ``INVALID_TOKEN``, ``TOKEN_EXPIRED``, ``TOKEN_NOT_YET_VALID``
                or ``TOKEN_REVOKED``; 403 ``INSUFFICIENT_SCOPE``; 503 ``AUTH_UNAVAILABLE``
                when the issuer's keys cannot be fetched.
        """
        header = self._header(token)
        alg = header["alg"]
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise _invalid("the token's key id is not a string")
        key = await self.jwks.key_for(kid, alg)
        claims = self._signed_claims(token, key, alg)
        self._check_claims(claims)
        if self._revocations is not None:
            ids = [v for v in (claims.get("jti"), claims.get("sid")) if isinstance(v, str) and v]
            if await self._revocations.is_revoked(ids):
                raise AuthError(AuthErrorCode.TOKEN_REVOKED, "the token has been revoked")
        principal = to_principal(claims, self.settings.claims)
        principal.require_scopes(*self.settings.required_scopes, *required_scopes)
        return principal

    def _signed_claims(self, token: str, key: VerifyKey, alg: str) -> Mapping[str, Any]:
        """The claims of ``token`` once its signature by ``key`` is checked (remembered per token and key)."""
        known = self._verified.get(token)
        if known is not None and known[0] is key:
            self._verified.move_to_end(token)
            return known[1]
        self.signature_checks += 1
        try:
            # The algorithm list is pinned to the one already checked against the key.
            claims = jwt.decode(token, key, algorithms=[alg]).claims
        except JoseError:
            raise _invalid("the token's signature is invalid") from None
        self._verified[token] = (key, claims)
        if len(self._verified) > VERIFIED_TOKENS:
            self._verified.popitem(last=False)
        return claims

    def _header(self, token: str) -> dict[str, Any]:
        if not isinstance(token, str) or len(token) > 16384:
            raise _invalid("the token is malformed")
        parts = token.split(".")
        if len(parts) != 3:
            # Five parts would be an encrypted JWT, which this API does not accept.
            raise _invalid("the token is malformed")
        header = _b64json(parts[0])
        if not isinstance(header, dict):
            raise _invalid("the token is malformed")
        alg = header.get("alg")
        if alg not in self.settings.algorithms:
            raise _invalid(f"the token's algorithm {alg!r} is not accepted")
        if "crit" in header:
            raise _invalid("the token has critical header parameters this API does not understand")
        typ = header.get("typ")
        if (typ.upper() if isinstance(typ, str) else typ) not in _ACCEPTED_TYPES:
            raise _invalid(f"the token's type {typ!r} is not an access token")
        return header

    def _check_claims(self, claims: Mapping[str, Any]) -> None:
        s = self.settings
        if claims.get("iss") != s.issuer:
            raise _invalid("the token was issued by another issuer")
        aud = claims.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if s.audience not in audiences:
            raise _invalid("the token is meant for another audience")
        now = self._clock()
        exp = _numeric(claims, "exp", required=True)
        if exp is not None and now >= exp + s.leeway_seconds:
            raise AuthError(AuthErrorCode.TOKEN_EXPIRED, "the token has expired")
        nbf = _numeric(claims, "nbf", required=False)
        if nbf is not None and nbf > now + s.leeway_seconds:
            raise AuthError(AuthErrorCode.TOKEN_NOT_YET_VALID, "the token is not valid yet")
        iat = _numeric(claims, "iat", required=True)
        if iat is not None and iat > now + s.leeway_seconds:
            raise AuthError(AuthErrorCode.TOKEN_NOT_YET_VALID, "the token was issued in the future")

    async def authenticate(self, conn: HTTPConnection, required_scopes: Iterable[str] = ()) -> Principal:
        """Validates the ``Authorization: Bearer`` token of a request or WebSocket.

        Args:
            conn: the Starlette request or WebSocket.
            required_scopes: scopes needed on top of ``settings.required_scopes``.

        Raises:
            AuthError: ``UNAUTHENTICATED`` when there is no bearer token, otherwise as
                ``validate``.
        """
        return await self.validate(bearer_token(conn), required_scopes)


def bearer_token(conn: HTTPConnection) -> str:
    """The token of the ``Authorization: Bearer`` header.

    Raises:
        AuthError: ``UNAUTHENTICATED`` when the header is missing or not a bearer token.
    """
    header = conn.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError(AuthErrorCode.UNAUTHENTICATED, "an 'Authorization: Bearer <token>' header is required")
    return token.strip()


async def authenticate(conn: HTTPConnection, required_scopes: Iterable[str] = ()) -> Principal:
    """Authenticates with the validator stored in ``app.state.token_validator``.

    Args:
        conn: the Starlette request or WebSocket.
        required_scopes: scopes needed on top of the configured ones.

    Raises:
        AuthError: as ``TokenValidator.authenticate``.
        RuntimeError: the application has no validator in its state.
    """
    validator = getattr(conn.app.state, VALIDATOR_STATE_KEY, None)
    if not isinstance(validator, TokenValidator):
        raise RuntimeError(f"app.state.{VALIDATOR_STATE_KEY} is not set to a TokenValidator")
    return await validator.authenticate(conn, required_scopes)


def auth_error_response(error: AuthError) -> JSONResponse:
    """A plain HTTP answer to an ``AuthError``: its status, code and RFC 6750 header."""
    return JSONResponse(
        {"error": error.to_dict()},
        status_code=error.status,
        headers={"WWW-Authenticate": error.www_authenticate(), "Cache-Control": "no-store"},
    )
