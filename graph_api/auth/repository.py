"""Neo4j storage of the embedded authorization server (parameterised Cypher only).

Labels (constraints in ``graphstore/migrations/0200_oauth.cypher``): ``Agency``,
``Agent`` with ``(Agent)-[:WORKS_FOR]->(Agency)``, ``AgentCredential`` (the password
hash, kept off the ``Agent`` node so that no agent query can return it),
``OAuthClient``, ``OAuthCode``, ``OAuthRefreshToken`` and ``OAuthRevocation``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict
from enum import Enum
from typing import Any

from graph_api.auth.models import (
    AgentAccount,
    AuthorizationCode,
    ClientKind,
    OAuthClient,
    RefreshToken,
)
from graph_api.auth.passwords import hash_secret, verify_secret
from graph_api.auth.revocation import revoke_ids
from graphstore.store import GraphStore


class CodeState(Enum):
    """Outcome of presenting an authorization code."""

    VALID = "valid"
    UNKNOWN = "unknown"
    REUSED = "reused"
    EXPIRED = "expired"


def upsert_agency(store: GraphStore, code: str, name: str, kind: str) -> None:
    """Creates or updates an agency."""
    store.write(
        "MERGE (a:Agency {code: $code}) SET a.name = $name, a.kind = $kind",
        {"code": code, "name": name, "kind": kind},
    )


def upsert_agent(store: GraphStore, agent: AgentAccount, password: str | None = None) -> None:
    """Creates or updates an agent, links it to its agency and, when given, sets its password.

    Args:
        store: the store.
        agent: the agent; its agency must exist.
        password: the new password (hashed with scrypt), or None to keep the current one.

    Raises:
        ValueError: the agency does not exist.
    """
    rows = store.write(
        "MATCH (ag:Agency {code: $agency}) "
        "MERGE (a:Agent {sub: $sub}) "
        "SET a.name = $name, a.email = $email, a.zones = $zones, a.roles = $roles "
        "WITH a, ag "
        "OPTIONAL MATCH (a)-[old:WORKS_FOR]->(other:Agency) WHERE other <> ag "
        "DELETE old "
        "MERGE (a)-[:WORKS_FOR]->(ag) "
        "RETURN a.sub AS sub",
        {**asdict(agent), "zones": list(agent.zones), "roles": list(agent.roles)},
    )
    if not rows:
        raise ValueError(f"agency {agent.agency!r} does not exist")
    if password is not None:
        store.write(
            "MATCH (a:Agent {sub: $sub}) "
            "MERGE (c:AgentCredential {sub: $sub}) SET c.password_hash = $hash, c.updated_at = $now "
            "MERGE (a)-[:HAS_CREDENTIAL]->(c)",
            {"sub": agent.sub, "hash": hash_secret(password), "now": int(time.time())},
        )


def _agent(row: dict[str, Any]) -> AgentAccount:
    return AgentAccount(
        sub=row["sub"],
        name=row["name"] or row["sub"],
        agency=row["agency"],
        zones=tuple(row["zones"] or ()),
        roles=tuple(row["roles"] or ()),
        email=row["email"],
    )


_AGENT_RETURN = (
    "RETURN a.sub AS sub, a.name AS name, a.email AS email, a.zones AS zones, a.roles AS roles, ag.code AS agency"
)


def get_agent(store: GraphStore, sub: str) -> AgentAccount | None:
    """The agent with this ``sub`` and its agency, or None."""
    rows = store.read("MATCH (a:Agent {sub: $sub})-[:WORKS_FOR]->(ag:Agency) " + _AGENT_RETURN, {"sub": sub})
    return _agent(rows[0]) if rows else None


def check_password(store: GraphStore, sub: str, password: str) -> AgentAccount | None:
    """The agent when ``password`` is theirs, else None (same cost either way)."""
    rows = store.read(
        "MATCH (a:Agent {sub: $sub})-[:WORKS_FOR]->(ag:Agency) "
        "OPTIONAL MATCH (a)-[:HAS_CREDENTIAL]->(c:AgentCredential) "
        + _AGENT_RETURN
        + ", c.password_hash AS password_hash",
        {"sub": sub},
    )
    stored = rows[0]["password_hash"] if rows else None
    if not verify_secret(password, stored) or not rows:
        return None
    return _agent(rows[0])


def upsert_client(store: GraphStore, client: OAuthClient) -> None:
    """Creates or replaces a client registration."""
    data = asdict(client)
    data.update(
        kind=client.kind.value,
        redirect_uris=list(client.redirect_uris),
        grant_types=list(client.grant_types),
        scopes=list(client.scopes),
        zones=list(client.zones),
        roles=list(client.roles),
    )
    store.write(
        "MERGE (c:OAuthClient {client_id: $client_id}) "
        "SET c.name = $name, c.kind = $kind, c.secret_hash = $secret_hash, "
        "c.redirect_uris = $redirect_uris, c.grant_types = $grant_types, c.scopes = $scopes, "
        "c.agency = $agency, c.zones = $zones, c.roles = $roles",
        data,
    )


def get_client(store: GraphStore, client_id: str) -> OAuthClient | None:
    """The client registration, or None."""
    rows = store.read("MATCH (c:OAuthClient {client_id: $id}) RETURN c{.*} AS c", {"id": client_id})
    if not rows:
        return None
    c = rows[0]["c"]
    return OAuthClient(
        client_id=c["client_id"],
        name=c.get("name") or c["client_id"],
        kind=ClientKind(c["kind"]),
        secret_hash=c.get("secret_hash"),
        redirect_uris=tuple(c.get("redirect_uris") or ()),
        grant_types=tuple(c.get("grant_types") or ()),
        scopes=tuple(c.get("scopes") or ()),
        agency=c.get("agency"),
        zones=tuple(c.get("zones") or ()),
        roles=tuple(c.get("roles") or ()),
    )


def save_code(store: GraphStore, code: AuthorizationCode) -> None:
    """Stores a new authorization code (by its hash)."""
    store.write("CREATE (c:OAuthCode) SET c = $code, c.used = false", {"code": asdict(code)})


def consume_code(store: GraphStore, code_id: str, client_id: str) -> tuple[CodeState, AuthorizationCode | None]:
    """Marks a code used and returns it, exactly once.

    The first ``SET`` takes the node's write lock before ``used`` is read, so two
    concurrent redemptions serialise and only one sees ``used = false``.

    Args:
        store: the store.
        code_id: SHA-256 of the presented code.
        client_id: the client presenting it; a code of another client is "unknown".

    Returns:
        The state, and the code (also when reused, so its grant can be revoked).
    """
    rows = store.write(
        "MATCH (c:OAuthCode {id: $id, client_id: $client_id}) "
        "SET c.touched_at = $now "
        "WITH c, c.used AS was_used "
        "SET c.used = true "
        "RETURN c{.*} AS c, was_used",
        {"id": code_id, "client_id": client_id, "now": time.time()},
    )
    if not rows:
        return CodeState.UNKNOWN, None
    raw = dict(rows[0]["c"])
    raw.pop("used", None)
    raw.pop("touched_at", None)
    code = AuthorizationCode(**raw)
    if rows[0]["was_used"]:
        return CodeState.REUSED, code
    if code.is_expired():
        return CodeState.EXPIRED, code
    return CodeState.VALID, code


def save_refresh_token(store: GraphStore, token: RefreshToken) -> None:
    """Stores a refresh token (by its hash)."""
    store.write("CREATE (t:OAuthRefreshToken) SET t = $t, t.rotated = false", {"t": asdict(token)})


def rotate_refresh_token(store: GraphStore, token_id: str) -> tuple[bool, RefreshToken | None]:
    """Marks a refresh token used, exactly once (same locking as ``consume_code``).

    Returns:
        ``(True, token)`` the first time; ``(False, token)`` when it was already used
        (a replay: the caller revokes the grant); ``(False, None)`` when unknown.
    """
    rows = store.write(
        "MATCH (t:OAuthRefreshToken {id: $id}) "
        "SET t.touched_at = $now "
        "WITH t, t.rotated AS was_rotated "
        "SET t.rotated = true "
        "RETURN t{.*} AS t, was_rotated",
        {"id": token_id, "now": time.time()},
    )
    if not rows:
        return False, None
    raw = dict(rows[0]["t"])
    for extra in ("rotated", "touched_at"):
        raw.pop(extra, None)
    return not rows[0]["was_rotated"], RefreshToken(**raw)


def find_refresh_token(store: GraphStore, token_id: str) -> RefreshToken | None:
    """A live (not yet rotated) refresh token by hash, or None."""
    rows = store.read("MATCH (t:OAuthRefreshToken {id: $id}) WHERE NOT t.rotated RETURN t{.*} AS t", {"id": token_id})
    if not rows:
        return None
    raw = dict(rows[0]["t"])
    for extra in ("rotated", "touched_at"):
        raw.pop(extra, None)
    return RefreshToken(**raw)


def revoke_grant(store: GraphStore, grant_id: str, access_ttl: int, reason: str) -> None:
    """Revokes a whole grant: its refresh tokens are deleted and its ``sid`` is refused.

    Args:
        store: the store.
        grant_id: the grant.
        access_ttl: the access-token lifetime; the revocation is kept that long.
        reason: why, for the record.
    """
    store.write("MATCH (t:OAuthRefreshToken {grant_id: $g}) DELETE t", {"g": grant_id})
    store.write("MATCH (c:OAuthCode {grant_id: $g}) SET c.used = true", {"g": grant_id})
    revoke_ids(store, [grant_id], int(time.time()) + access_ttl + 60, reason)


def revoke_token_ids(store: GraphStore, ids: Sequence[str], until: int) -> None:
    """Revokes access tokens by ``jti`` until they expire."""
    revoke_ids(store, ids, until, "revoked")


def purge_expired(store: GraphStore) -> None:
    """Deletes expired codes, refresh tokens and revocations (housekeeping)."""
    now = int(time.time())
    # Used codes are kept until expiry so that a replay is recognised as such.
    store.write("MATCH (c:OAuthCode) WHERE c.expires_at < $now DELETE c", {"now": now})
    store.write("MATCH (t:OAuthRefreshToken) WHERE t.expires_at < $now DELETE t", {"now": now})
    store.write("MATCH (r:OAuthRevocation) WHERE r.until < $now DELETE r", {"now": now})
