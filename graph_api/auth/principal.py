"""Who is calling: the agent (or service) behind a validated access token."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graph_api.auth.errors import AuthError, AuthErrorCode


class Role(StrEnum):
    """Data roles of the access doctrine, plus the auditor role."""

    URSSAF = "urssaf"
    DGEFP = "dgefp"
    BDF = "bdf"
    SCORE = "score"
    DETECTION = "detection"
    AUDITOR = "auditor"


KNOWN_ROLES: frozenset[str] = frozenset(r.value for r in Role)


class Scope(StrEnum):
    """OAuth scopes this API understands.

    ``signaux`` is needed for any call; ``signaux:write`` for mutations.
    """

    READ = "signaux"
    WRITE = "signaux:write"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, built once per request from the token's claims.

    Attributes:
        sub: the stable subject identifier (the agent's ``sub``, or the client id of a
            service token).
        name: a display name for people and the audit trail.
        agency: the code of the agent's agency (``Agency.code``).
        zones: the départements the agent covers, regions already expanded.
        roles: data roles (``urssaf``, ``dgefp``, ``bdf``, ``score``, ``detection``)
            and ``auditor``; unknown roles from the issuer are dropped.
        scopes: the OAuth scopes granted to the token.
        client_id: the OAuth client the token was issued to (``azp``/``client_id``).
        token_id: the token's ``jti`` when it has one.
        issuer: the ``iss`` of the token.
        expires_at: the token's ``exp`` (Unix seconds).
        email: the agent's e-mail when the token carries one.
        is_service: True for a client-credentials token (a machine, not a person).
        session_id: the grant the token belongs to (``sid``) when the issuer sets it.
    """

    sub: str
    name: str
    agency: str
    zones: frozenset[str]
    roles: frozenset[str]
    scopes: frozenset[str]
    client_id: str
    token_id: str | None
    issuer: str = ""
    expires_at: int | None = None
    email: str | None = None
    is_service: bool = False
    session_id: str | None = field(default=None, compare=False)

    def has_role(self, role: str) -> bool:
        """True when the principal holds ``role``."""
        return role in self.roles

    def has_scope(self, scope: str) -> bool:
        """True when the token was granted ``scope``."""
        return scope in self.scopes

    def covers(self, departement: str | None) -> bool:
        """True when ``departement`` is one of the principal's zones."""
        return departement is not None and departement in self.zones

    def require_scopes(self, *scopes: str) -> None:
        """Raises unless every scope was granted.

        Args:
            scopes: the scopes the operation needs.

        Raises:
            AuthError: ``INSUFFICIENT_SCOPE`` (403) naming the missing scopes.
        """
        missing = tuple(s for s in scopes if s not in self.scopes)
        if missing:
            raise AuthError(
                AuthErrorCode.INSUFFICIENT_SCOPE,
                f"the token lacks the scope(s): {' '.join(missing)}",
                scopes=tuple(scopes),
            )
