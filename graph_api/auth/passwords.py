"""Password and client-secret hashing with scrypt (memory-hard, in the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt cost: 2**14 x 8 uses 16 MiB and ~50 ms, OWASP's floor for interactive logins.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_secret(secret: str) -> str:
    """A self-describing scrypt hash: ``scrypt$n$r$p$salt$hash`` (base64url)."""
    salt = secrets.token_bytes(16)
    digest = _derive(secret, salt, _N, _R, _P)
    b64 = base64.urlsafe_b64encode
    return f"{_PREFIX}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_secret(secret: str, stored: str | None) -> bool:
    """True when ``secret`` matches ``stored``; constant time, False on any malformed hash.

    With no stored hash the same work is still done, so that the response time does
    not tell whether an account exists.
    """
    if not stored:
        _derive(secret, b"0" * 16, _N, _R, _P)
        return False
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX:
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = _derive(secret, base64.urlsafe_b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def token_hash(token: str) -> str:
    """The id under which a high-entropy token (code, refresh token) is stored.

    These tokens are random 256-bit strings, so one SHA-256 suffices: a leaked
    database does not reveal usable codes or refresh tokens.
    """
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
