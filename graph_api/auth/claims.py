"""From a validated token's claims to a ``Principal``, following the configured mapping.

The mapping is what lets tokens from another issuer work as they are: Keycloak puts
client roles in ``resource_access.<client>.roles`` and realm roles in
``realm_access.roles``, the user name in ``preferred_username``, and user attributes
(agency, zones) wherever a mapper is told to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph_api.auth.errors import AuthError, AuthErrorCode
from graph_api.auth.principal import KNOWN_ROLES, Principal
from graph_api.auth.settings import ClaimMapping
from graphstore.geo import expand_zones


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``realm_access.roles``), or None when absent.

    A claim whose own name contains a dot (some issuers use URLs as claim names) is
    found too: the full name is tried before the path is split.
    """
    if path in claims:
        return claims[path]
    node: Any = claims
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _strings(value: Any) -> list[str]:
    """A list of strings from a list, or a space/comma separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [w for w in value.replace(",", " ").split() if w]
    if isinstance(value, list | tuple):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _invalid(message: str) -> AuthError:
    return AuthError(AuthErrorCode.INVALID_TOKEN, message)


def map_roles(claims: Mapping[str, Any], mapping: ClaimMapping) -> frozenset[str]:
    """The data roles of a token: the union of every configured source.

    Unknown roles (Keycloak's ``offline_access``, ``default-roles-*``) are dropped, so
    an issuer cannot grant a role this API does not define.
    """
    found: list[str] = []
    if mapping.roles_claim:
        found += _strings(claim(claims, mapping.roles_claim))
    resource_access = claims.get("resource_access")
    if isinstance(resource_access, Mapping):
        for client in mapping.client_roles:
            entry = resource_access.get(client)
            if isinstance(entry, Mapping):
                found += _strings(entry.get("roles"))
    if mapping.realm_roles:
        found += _strings(claim(claims, "realm_access.roles"))
    roles: set[str] = set()
    for raw in found:
        name = raw.lower()
        if mapping.role_prefix:
            if not name.startswith(mapping.role_prefix.lower()):
                continue
            name = name[len(mapping.role_prefix) :]
        if name in KNOWN_ROLES:
            roles.add(name)
    return frozenset(roles)


def _first(claims: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = claim(claims, name)
        if value not in (None, "", []):
            return value
    return None


def _is_service(claims: Mapping[str, Any]) -> bool:
    """True for a machine token: the embedded server marks them, Keycloak names its service accounts."""
    username = claims.get("preferred_username")
    return claims.get("token_use") == "service" or (
        isinstance(username, str) and username.startswith("service-account-")
    )


def to_principal(claims: Mapping[str, Any], mapping: ClaimMapping) -> Principal:
    """Builds the principal of a token whose signature and dates were checked.

    Args:
        claims: the token's claims.
        mapping: where to find agency, zones, roles, name and scopes.

    Returns:
        The principal; zones are expanded to départements.

    Raises:
        AuthError: ``INVALID_TOKEN`` when ``sub`` or the agency is missing, or a zone is
            unknown: a token that cannot be placed in the access doctrine is refused
            rather than given a default.
    """
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise _invalid("the token has no subject")
    agency = claim(claims, mapping.agency_claim)
    if isinstance(agency, list) and len(agency) == 1:
        # Keycloak user attributes are multi-valued unless the mapper says otherwise.
        agency = agency[0]
    if not isinstance(agency, str) or not agency.strip():
        raise _invalid(f"the token has no agency (claim {mapping.agency_claim!r})")
    try:
        zones = expand_zones(_strings(claim(claims, mapping.zones_claim)))
    except ValueError as exc:
        raise _invalid(f"the token names an unknown zone: {exc}") from None

    name = _first(claims, mapping.name_claims)
    client_id = _first(claims, mapping.client_id_claims)
    scopes = _first(claims, mapping.scope_claims)
    email = claim(claims, mapping.email_claim)
    jti = claims.get("jti")
    exp = claims.get("exp")
    sid = claims.get("sid")
    return Principal(
        sub=sub,
        name=name if isinstance(name, str) else sub,
        agency=agency.strip(),
        zones=zones,
        roles=map_roles(claims, mapping),
        scopes=frozenset(_strings(scopes)),
        client_id=client_id if isinstance(client_id, str) else "",
        token_id=jti if isinstance(jti, str) else None,
        issuer=str(claims.get("iss", "")),
        expires_at=int(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None,
        email=email if isinstance(email, str) else None,
        is_service=_is_service(claims),
        session_id=sid if isinstance(sid, str) else None,
    )
