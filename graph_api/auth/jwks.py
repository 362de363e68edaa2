"""The issuer's signing keys: OpenID discovery and JWKS fetched over HTTP and cached.

Keys are refetched when the cache is older than its TTL, and when a token names a
key id the cache does not know (the issuer rotated its keys); those forced fetches
are rate-limited so that a flood of tokens with random key ids cannot turn the API
into an amplifier against the issuer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from graph_api.auth.errors import AuthError, AuthErrorCode
from graph_api.auth.settings import AuthSettings

log = logging.getLogger(__name__)

VerifyKey = RSAKey | ECKey

# The key type and curve each accepted algorithm needs: checking it here is what
# stops a token from choosing how its key is interpreted.
_KEY_FOR_ALG: dict[str, tuple[str, str | None]] = {"RS256": ("RSA", None), "ES256": ("EC", "P-256")}


@dataclass(frozen=True)
class _Snapshot:
    keys: dict[str, VerifyKey]
    fetched_at: float


def _import_keys(document: Any) -> dict[str, VerifyKey]:
    """The usable signature keys of a JWKS document, by key id."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("the JWKS document has no 'keys' list")
    keys: dict[str, VerifyKey] = {}
    for index, entry in enumerate(document["keys"]):
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        kty = entry.get("kty")
        try:
            key: VerifyKey
            if kty == "RSA":
                key = RSAKey.import_key(entry)
            elif kty == "EC":
                key = ECKey.import_key(entry)
            else:
                continue
        except (JoseError, ValueError, TypeError) as exc:
            log.warning("skipping JWKS key %s: %s", entry.get("kid", index), exc)
            continue
        if key.is_private:
            # A JWKS must publish public keys only; a private one means a broken issuer.
            log.warning("skipping JWKS key %s: it holds private material", entry.get("kid", index))
            continue
        kid = entry.get("kid") if isinstance(entry.get("kid"), str) else key.thumbprint()
        keys[str(kid)] = key
    return keys


def key_matches(key: VerifyKey, alg: str) -> bool:
    """True when ``key`` is the kind of key ``alg`` verifies with."""
    wanted = _KEY_FOR_ALG.get(alg)
    if wanted is None:
        return False
    kty, curve = wanted
    if key.key_type != kty:
        return False
    if curve is not None and isinstance(key, ECKey) and key.curve_name != curve:
        return False
    key_alg = key.alg
    return key_alg is None or key_alg == alg


class JwksCache:
    """Fetches and caches the trusted issuer's public keys.

    Args:
        settings: issuer, discovery URL, TTL and refetch interval.
        clock: a monotonic clock in seconds (replaceable for deterministic tests).

    Attributes:
        fetch_count: how many times the JWKS document was fetched (for metrics).
    """

    def __init__(self, settings: AuthSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._clock = clock
        self._snapshot: _Snapshot | None = None
        self._jwks_uri: str | None = settings.jwks_url
        self._last_forced: float | None = None
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self.fetch_count = 0

    def _get_lock(self) -> asyncio.Lock:
        # A lock belongs to one event loop; tests and CLI tools may run several loops.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock = asyncio.Lock()
            self._lock_loop = loop
        return self._lock

    async def _get_json(self, client: httpx.AsyncClient, url: str) -> Any:
        response = await client.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()

    async def _fetch(self) -> _Snapshot:
        async with httpx.AsyncClient(timeout=self._settings.http_timeout, follow_redirects=False) as client:
            if self._jwks_uri is None:
                config = await self._get_json(client, self._settings.openid_configuration_url)
                if not isinstance(config, dict):
                    raise ValueError("the OpenID configuration is not a JSON object")
                # OpenID Connect Discovery §4.3: the document must name the issuer we trust.
                if config.get("issuer") != self._settings.issuer:
                    raise ValueError(
                        f"the OpenID configuration names issuer {config.get('issuer')!r}, "
                        f"expected {self._settings.issuer!r}"
                    )
                jwks_uri = config.get("jwks_uri")
                if not isinstance(jwks_uri, str) or not jwks_uri:
                    raise ValueError("the OpenID configuration has no jwks_uri")
                self._jwks_uri = jwks_uri
            document = await self._get_json(client, self._jwks_uri)
        self.fetch_count += 1
        return _Snapshot(_import_keys(document), self._clock())

    async def _refresh(self) -> None:
        try:
            self._snapshot = await self._fetch()
        except (httpx.HTTPError, ValueError) as exc:
            # Discovery may have pointed to a moved JWKS: rediscover next time.
            self._jwks_uri = self._settings.jwks_url
            if self._snapshot is None:
                log.error("cannot fetch the issuer's keys: %s", exc)
                raise AuthError(AuthErrorCode.AUTH_UNAVAILABLE, "the token issuer's keys are unavailable") from exc
            # Keep serving the keys we have: an issuer outage must not log everyone out.
            log.warning("cannot refresh the issuer's keys, keeping the cached ones: %s", exc)
            self._snapshot = _Snapshot(self._snapshot.keys, self._clock())

    def _fresh(self) -> bool:
        snap = self._snapshot
        return snap is not None and self._clock() - snap.fetched_at < self._settings.jwks_cache_ttl

    async def key_for(self, kid: str | None, alg: str) -> VerifyKey:
        """The key that must have signed a token with this header.

        Args:
            kid: the token's ``kid`` header, if any.
            alg: the token's ``alg`` header, already checked against the allowed list.

        Raises:
            AuthError: ``INVALID_TOKEN`` when no key of the issuer matches (after at most
                one rate-limited refetch), ``AUTH_UNAVAILABLE`` when the keys cannot be
                fetched at all.
        """
        async with self._get_lock():
            if not self._fresh():
                await self._refresh()
            key = self._pick(kid, alg)
            if key is None and self._may_force():
                self._last_forced = self._clock()
                await self._refresh()
                key = self._pick(kid, alg)
        if key is None:
            raise AuthError(AuthErrorCode.INVALID_TOKEN, "the token is signed with an unknown key")
        return key

    def _may_force(self) -> bool:
        last = self._last_forced
        return last is None or self._clock() - last >= self._settings.jwks_min_refetch_interval

    def _pick(self, kid: str | None, alg: str) -> VerifyKey | None:
        keys = self._snapshot.keys if self._snapshot else {}
        if kid is not None:
            key = keys.get(kid)
            return key if key is not None and key_matches(key, alg) else None
        # No kid: acceptable only when exactly one key could have signed it.
        candidates = [k for k in keys.values() if key_matches(k, alg)]
        return candidates[0] if len(candidates) == 1 else None
