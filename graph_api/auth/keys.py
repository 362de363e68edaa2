"""The embedded authorization server's signing key, made at first start in the data dir.

The private key never leaves ``<data_dir>/auth`` (mode 0600, folder 0700); nothing
secret is in the repository. To rotate, rename ``signing-key.pem`` to
``previous-<anything>.pem`` and restart: a new key signs, the old one stays in the
JWKS until the tokens it signed have expired, then can be deleted.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

SIGNING_KEY_FILE = "signing-key.pem"
PREVIOUS_KEYS_GLOB = "previous-*.pem"
CSRF_SECRET_FILE = "csrf-secret"  # noqa: S105 - a file name, not a secret
# 3072-bit RSA: NIST's recommendation beyond 2030; generated once, so its cost is moot.
_RSA_BITS = 3072


@dataclass(frozen=True)
class SigningKey:
    """The RS256 key tokens are signed with.

    Attributes:
        key: the private key.
        kid: its key id, the RFC 7638 thumbprint (stable across restarts).
    """

    key: RSAKey
    kid: str

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK for the JWKS document."""
        return public_jwk(self.key, self.kid)


def public_jwk(key: RSAKey, kid: str) -> dict[str, Any]:
    """A public JWK with ``kid``, ``use`` and ``alg`` set."""
    return {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": "RS256"}


def _write_private(path: Path, data: bytes) -> None:
    """Writes ``data`` to a new file readable by the owner only, atomically.

    Two processes starting together must not end with two different keys: the file
    is written aside, then hard-linked into place, which fails if it already exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load_or_create_signing_key(key_dir: Path) -> SigningKey:
    """The current signing key, generated on first use.

    Args:
        key_dir: the folder holding the key (``AuthSettings.key_dir``).

    Raises:
        PermissionError: the key file is readable by others (someone loosened it).
    """
    path = key_dir / SIGNING_KEY_FILE
    if not path.exists():
        key = RSAKey.generate_key(_RSA_BITS, private=True)
        _write_private(path, key.as_pem(private=True))
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise PermissionError(f"{path} must be readable by its owner only (mode 0600), it is {mode:o}")
    key = RSAKey.import_key(path.read_bytes())
    return SigningKey(key, key.thumbprint())


def previous_public_keys(key_dir: Path) -> list[dict[str, Any]]:
    """Public JWKs of retired keys still published for verification."""
    out = []
    for path in sorted(key_dir.glob(PREVIOUS_KEYS_GLOB)):
        key = RSAKey.import_key(path.read_bytes())
        out.append(public_jwk(key, key.thumbprint()))
    return out


def load_or_create_secret(key_dir: Path, name: str = CSRF_SECRET_FILE) -> bytes:
    """A random 32-byte secret kept in ``key_dir`` (for the login form's CSRF tokens)."""
    path = key_dir / name
    if not path.exists():
        _write_private(path, secrets.token_bytes(32))
    return path.read_bytes()
