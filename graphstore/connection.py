"""Resolves which Neo4j server to talk to: the configured one or the local embedded one."""

from __future__ import annotations

from dataclasses import dataclass

from graphstore.errors import LocalNeo4jError
from graphstore.settings import StoreSettings


@dataclass(frozen=True)
class ConnectionInfo:
    """Everything a driver needs: address, credentials and database."""

    uri: str
    user: str
    password: str
    database: str
    local: bool


def resolve_connection(settings: StoreSettings) -> ConnectionInfo:
    """Returns the server to use.

    With ``NEO4J_URI`` set, that server with ``NEO4J_USER``/``NEO4J_PASSWORD``;
    otherwise the local embedded server on its recorded port, with the password
    generated at its first start.

    Args:
        settings: the store settings.

    Raises:
        LocalNeo4jError: no ``NEO4J_URI`` and the local server was never started.
    """
    if settings.uri:
        return ConnectionInfo(settings.uri, settings.user, settings.password or "", settings.database, False)
    pw_file = settings.local_dir / "password"
    if not pw_file.exists():
        raise LocalNeo4jError(
            f"no NEO4J_URI is set and the local Neo4j has never been started in {settings.local_dir}: "
            "run `signaux neo4j start` first"
        )
    port_file = settings.local_dir / "port"
    port = int(port_file.read_text().strip()) if port_file.exists() else settings.local_port
    return ConnectionInfo(f"bolt://127.0.0.1:{port}", "neo4j", pw_file.read_text().strip(), settings.database, True)
