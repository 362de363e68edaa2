"""The local embedded Neo4j: start, status, stop, persistence and clear errors."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graphstore import local
from graphstore.connection import resolve_connection
from graphstore.errors import LocalNeo4jError
from graphstore.settings import StoreSettings


def _own_settings(base: StoreSettings, tmp_path: Path) -> StoreSettings:
    """A second local server, in its own folder and on its own port."""
    return replace(base, uri=None, data_dir=tmp_path, local_port=local.free_port(), local_heap="512m")


def test_data_written_before_stop_is_there_after_start(neo4j_settings: StoreSettings, tmp_path: Path) -> None:
    settings = _own_settings(neo4j_settings, tmp_path)
    st = local.start(settings)
    try:
        assert st.bolt_answers and st.port == settings.local_port
        info = resolve_connection(settings)
        assert info.uri == f"bolt://127.0.0.1:{settings.local_port}"
        with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as drv:
            drv.execute_query("CREATE (:Company {siren: '552100554', name: 'Persistante'})")
        assert local.stop(settings) is True
        assert local.status(settings).running is False
        # A wrong password is refused: authentication is on.
        local.start(settings)
        with GraphDatabase.driver(info.uri, auth=(info.user, "wrong-password")) as drv, pytest.raises(Exception):  # noqa: B017
            drv.verify_connectivity()
        with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as drv:
            records, _, _ = drv.execute_query("MATCH (c:Company) RETURN c.name AS name")
        assert [r["name"] for r in records] == ["Persistante"]
    finally:
        local.stop(settings)
    assert (settings.local_dir / "password").stat().st_mode & 0o077 == 0


def test_a_taken_port_is_a_clear_error(neo4j_settings: StoreSettings, tmp_path: Path) -> None:
    settings = _own_settings(neo4j_settings, tmp_path)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", settings.local_port))
        blocker.listen()
        with pytest.raises(LocalNeo4jError, match=f"port {settings.local_port} .* already taken"):
            local.start(settings)
    assert local.status(settings).running is False


def test_missing_java_is_a_clear_error(
    neo4j_settings: StoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LocalNeo4jError, match="java is not on PATH"):
        local.start(_own_settings(neo4j_settings, tmp_path))


def test_stop_when_nothing_runs_says_so(neo4j_settings: StoreSettings, tmp_path: Path) -> None:
    assert local.stop(_own_settings(neo4j_settings, tmp_path)) is False


def test_without_a_started_server_the_connection_error_says_what_to_do(
    neo4j_settings: StoreSettings, tmp_path: Path
) -> None:
    with pytest.raises(LocalNeo4jError, match="signaux neo4j start"):
        resolve_connection(_own_settings(neo4j_settings, tmp_path))
