"""Authentication settings, read once from the environment into a typed object.

The defaults suit the embedded mode: the API runs its own authorization server at
``SIGNAUX_PUBLIC_URL`` and trusts only it. Pointing ``SIGNAUX_AUTH_ISSUER`` at
another issuer (Keycloak) turns the embedded server off unless
``SIGNAUX_AUTH_EMBEDDED`` says otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graphstore.settings import StoreSettings

# Asymmetric algorithms only: an HMAC algorithm would let anyone holding the public
# key forge tokens (key confusion), and "none" means no signature at all.
SUPPORTED_ALGORITHMS: tuple[str, ...] = ("RS256", "ES256")


@dataclass(frozen=True)
class ClaimMapping:
    """Where the claims that make a ``Principal`` are found in a token.

    Claim names may be dotted paths into nested objects (``attributes.agency``).

    Attributes:
        name_claims: claims tried in order for the display name.
        agency_claim: claim holding the agency code.
        zones_claim: claim holding the zones (a list, or a space/comma separated
            string; départements, ``R<region>`` or region aliases).
        roles_claim: a top-level list of roles, or None to ignore it.
        client_roles: clients whose ``resource_access.<client>.roles`` are read
            (Keycloak client roles).
        realm_roles: whether ``realm_access.roles`` (Keycloak realm roles) are read.
        role_prefix: a prefix stripped from role names (``signaux-urssaf`` ->
            ``urssaf``); roles without it are ignored when it is set.
        scope_claims: claims tried in order for the scopes (``scope`` string,
            ``scp`` list).
        email_claim: claim holding the e-mail address.
        client_id_claims: claims tried in order for the OAuth client id.
    """

    name_claims: tuple[str, ...] = ("name", "preferred_username")
    agency_claim: str = "agency"
    zones_claim: str = "zones"
    roles_claim: str | None = "roles"
    client_roles: tuple[str, ...] = ()
    realm_roles: bool = True
    role_prefix: str = ""
    scope_claims: tuple[str, ...] = ("scope", "scp")
    email_claim: str = "email"
    client_id_claims: tuple[str, ...] = ("azp", "client_id")


@dataclass(frozen=True)
class AuthSettings:
    """How the API authenticates callers and, in embedded mode, issues tokens.

    Attributes:
        public_url: ``SIGNAUX_PUBLIC_URL``: the API's base URL as clients see it
            (default ``http://127.0.0.1:8000``).
        issuer: ``SIGNAUX_AUTH_ISSUER``: the trusted issuer (``iss``); the public URL
            in embedded mode.
        audience: ``SIGNAUX_AUTH_AUDIENCE``: the ``aud`` tokens must carry
            (default ``signaux-api``).
        algorithms: ``SIGNAUX_AUTH_ALGORITHMS``: accepted signature algorithms, a
            subset of RS256 and ES256.
        claims: the claim mapping (``SIGNAUX_AUTH_*_CLAIM`` variables).
        required_scopes: ``SIGNAUX_AUTH_REQUIRED_SCOPES``: scopes every token needs
            (default ``signaux``; empty to require none).
        embedded: ``SIGNAUX_AUTH_EMBEDDED``: run the built-in authorization server.
        discovery_url: ``SIGNAUX_AUTH_DISCOVERY_URL``: where to fetch the OpenID
            configuration when it is not ``<issuer>/.well-known/openid-configuration``
            (a reverse proxy in front of the issuer).
        jwks_url: ``SIGNAUX_AUTH_JWKS_URL``: fetch the keys there directly, without
            discovery (when the API cannot reach the issuer's public URL).
        leeway_seconds: ``SIGNAUX_AUTH_LEEWAY``: clock skew tolerated on exp/nbf/iat.
        access_token_ttl: ``SIGNAUX_AUTH_ACCESS_TTL``: seconds an access token lives.
        refresh_token_ttl: ``SIGNAUX_AUTH_REFRESH_TTL``: seconds a refresh token lives.
        code_ttl: ``SIGNAUX_AUTH_CODE_TTL``: seconds an authorization code lives.
        jwks_cache_ttl: ``SIGNAUX_AUTH_JWKS_TTL``: seconds the issuer's keys are cached.
        jwks_min_refetch_interval: ``SIGNAUX_AUTH_JWKS_REFETCH_INTERVAL``: minimum
            seconds between two fetches forced by unknown key ids.
        http_timeout: ``SIGNAUX_AUTH_HTTP_TIMEOUT``: seconds for discovery and JWKS.
        key_dir: ``<SIGNAUX_DATA_DIR>/auth``: the embedded server's signing key.
        login_max_failures: failed logins per account within ``login_window`` before
            the login page refuses further attempts for that account.
        login_window: seconds of the failed-login window.
    """

    public_url: str
    issuer: str
    audience: str
    algorithms: tuple[str, ...]
    claims: ClaimMapping
    required_scopes: tuple[str, ...]
    embedded: bool
    discovery_url: str | None
    key_dir: Path
    jwks_url: str | None = None
    leeway_seconds: int = 30
    access_token_ttl: int = 600
    refresh_token_ttl: int = 8 * 3600
    code_ttl: int = 60
    jwks_cache_ttl: int = 600
    jwks_min_refetch_interval: float = 30.0
    http_timeout: float = 5.0
    login_max_failures: int = 5
    login_window: int = 300

    @property
    def openid_configuration_url(self) -> str:
        """Where the validator reads the issuer's OpenID configuration."""
        return self.discovery_url or f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"

    @property
    def secure_cookies(self) -> bool:
        """Cookies get the ``Secure`` flag when the public URL is HTTPS."""
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AuthSettings:
        """Builds the settings from environment variables.

        Args:
            env: the variables to read; ``os.environ`` when omitted.

        Raises:
            ValueError: a variable holds a wrong value, named in the message.
        """
        e = dict(os.environ if env is None else env)

        def integer(name: str, default: int) -> int:
            raw = e.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be an integer, got {raw!r}") from None
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")
            return value

        def number(name: str, default: float) -> float:
            raw = e.get(name, "").strip()
            if not raw:
                return default
            try:
                return float(raw)
            except ValueError:
                raise ValueError(f"{name} must be a number, got {raw!r}") from None

        def words(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            if name not in e:
                return default
            return tuple(w for w in e[name].replace(",", " ").split() if w)

        def boolean(name: str, default: bool) -> bool:
            raw = e.get(name, "").strip().lower()
            if not raw:
                return default
            if raw in {"1", "true", "yes", "on"}:
                return True
            if raw in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"{name} must be true or false, got {raw!r}")

        public_url = (e.get("SIGNAUX_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
        # Kept exactly as given: ``iss`` is compared verbatim, and some issuers end with "/".
        issuer_env = (e.get("SIGNAUX_AUTH_ISSUER") or "").strip()
        embedded = boolean("SIGNAUX_AUTH_EMBEDDED", not issuer_env)
        issuer = issuer_env or public_url
        audience = e.get("SIGNAUX_AUTH_AUDIENCE") or "signaux-api"

        algorithms = words("SIGNAUX_AUTH_ALGORITHMS", SUPPORTED_ALGORITHMS)
        bad = [a for a in algorithms if a not in SUPPORTED_ALGORITHMS]
        if bad or not algorithms:
            raise ValueError(
                f"SIGNAUX_AUTH_ALGORITHMS accepts only {', '.join(SUPPORTED_ALGORITHMS)}, got {bad or 'nothing'}"
            )

        default_claims = ClaimMapping()
        roles_claim = e.get("SIGNAUX_AUTH_ROLES_CLAIM", default_claims.roles_claim or "")
        claims = ClaimMapping(
            name_claims=words("SIGNAUX_AUTH_NAME_CLAIMS", default_claims.name_claims),
            agency_claim=e.get("SIGNAUX_AUTH_AGENCY_CLAIM") or default_claims.agency_claim,
            zones_claim=e.get("SIGNAUX_AUTH_ZONES_CLAIM") or default_claims.zones_claim,
            roles_claim=roles_claim.strip() or None,
            client_roles=words("SIGNAUX_AUTH_CLIENT_ROLES", (audience,)),
            realm_roles=boolean("SIGNAUX_AUTH_REALM_ROLES", default_claims.realm_roles),
            role_prefix=e.get("SIGNAUX_AUTH_ROLE_PREFIX", ""),
            scope_claims=words("SIGNAUX_AUTH_SCOPE_CLAIMS", default_claims.scope_claims),
            email_claim=e.get("SIGNAUX_AUTH_EMAIL_CLAIM") or default_claims.email_claim,
            client_id_claims=words("SIGNAUX_AUTH_CLIENT_ID_CLAIMS", default_claims.client_id_claims),
        )
        return cls(
            public_url=public_url,
            issuer=issuer,
            audience=audience,
            algorithms=algorithms,
            claims=claims,
            required_scopes=words("SIGNAUX_AUTH_REQUIRED_SCOPES", ("signaux",)),
            embedded=embedded,
            discovery_url=e.get("SIGNAUX_AUTH_DISCOVERY_URL") or None,
            jwks_url=e.get("SIGNAUX_AUTH_JWKS_URL") or None,
            key_dir=StoreSettings.from_env(e).data_dir / "auth",
            leeway_seconds=integer("SIGNAUX_AUTH_LEEWAY", 30),
            access_token_ttl=integer("SIGNAUX_AUTH_ACCESS_TTL", 600),
            refresh_token_ttl=integer("SIGNAUX_AUTH_REFRESH_TTL", 8 * 3600),
            code_ttl=integer("SIGNAUX_AUTH_CODE_TTL", 60),
            jwks_cache_ttl=integer("SIGNAUX_AUTH_JWKS_TTL", 600),
            jwks_min_refetch_interval=number("SIGNAUX_AUTH_JWKS_REFETCH_INTERVAL", 30.0),
            http_timeout=number("SIGNAUX_AUTH_HTTP_TIMEOUT", 5.0),
            login_max_failures=integer("SIGNAUX_AUTH_LOGIN_MAX_FAILURES", 5),
            login_window=integer("SIGNAUX_AUTH_LOGIN_WINDOW", 300),
        )


@lru_cache(maxsize=1)
def get_auth_settings() -> AuthSettings:
    """The process-wide settings (read once)."""
    return AuthSettings.from_env()
