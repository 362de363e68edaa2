"""Applies the versioned migrations idempotently and records them in the graph."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from neo4j import ManagedTransaction

from graphstore.errors import MigrationError
from graphstore.store import GraphStore

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.cypher$")


@dataclass(frozen=True)
class Migration:
    """One migration file: its version, name, statements and checksum."""

    version: int
    name: str
    statements: tuple[str, ...]
    checksum: str


def _split(text: str) -> tuple[str, ...]:
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return tuple(s.strip() for s in "\n".join(lines).split(";") if s.strip())


def load_migrations() -> list[Migration]:
    """Reads every migration shipped with the package, in version order."""
    found: list[Migration] = []
    for entry in resources.files("graphstore.migrations").iterdir():
        m = _NAME.match(entry.name)
        if not m:
            continue
        text = entry.read_text(encoding="utf-8")
        found.append(Migration(int(m.group(1)), m.group(2), _split(text), hashlib.sha256(text.encode()).hexdigest()))
    found.sort(key=lambda mg: mg.version)
    versions = [mg.version for mg in found]
    if len(versions) != len(set(versions)):
        raise MigrationError(f"two migration files share a version number: {versions}")
    return found


def migrate(store: GraphStore | None = None) -> list[str]:
    """Applies the migrations not yet applied; applying twice changes nothing.

    Schema statements cannot share a transaction with data writes in Neo4j, so each
    statement runs in its own transaction; they are all ``IF NOT EXISTS`` and so safe
    to replay if a run is interrupted before the migration is recorded.

    Args:
        store: where to apply them; the default store when omitted.

    Returns:
        The names of the migrations applied by this call.

    Raises:
        MigrationError: an applied migration's file was changed since.
    """
    store = store or GraphStore()
    applied = {
        r["version"]: r["checksum"]
        for r in store.read("MATCH (m:Migration) RETURN m.version AS version, m.checksum AS checksum")
    }
    done: list[str] = []
    for mg in load_migrations():
        if mg.version in applied:
            if applied[mg.version] != mg.checksum:
                raise MigrationError(
                    f"migration {mg.version:04d}_{mg.name} was changed after being applied; "
                    "add a new migration instead of editing it"
                )
            continue
        for stmt in mg.statements:

            def run(tx: ManagedTransaction, s: str = stmt) -> None:
                tx.run(s).consume()  # type: ignore[arg-type]  # statements come from the packaged files

            store.write_tx(run)
        store.write(
            "MERGE (m:Migration {version: $v}) "
            "ON CREATE SET m.name = $name, m.checksum = $checksum, m.applied_at = datetime()",
            {"v": mg.version, "name": mg.name, "checksum": mg.checksum},
        )
        done.append(f"{mg.version:04d}_{mg.name}")
    return done
