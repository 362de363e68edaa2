"""Migrations against the real server: idempotent, recorded, checked."""

from __future__ import annotations

import pytest

from graphstore.errors import MigrationError
from graphstore.migrate import load_migrations, migrate
from graphstore.store import GraphStore


def test_migrations_are_recorded_and_a_second_run_changes_nothing(store: GraphStore) -> None:
    before_constraints = store.read("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")[0]["names"]
    before_indexes = store.read("SHOW INDEXES YIELD name RETURN collect(name) AS names")[0]["names"]
    assert migrate(store) == []
    assert store.read("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")[0]["names"] == before_constraints
    assert store.read("SHOW INDEXES YIELD name RETURN collect(name) AS names")[0]["names"] == before_indexes
    versions = [r["v"] for r in store.read("MATCH (m:Migration) RETURN m.version AS v ORDER BY v")]
    assert versions == [m.version for m in load_migrations()]


def test_every_natural_key_is_unique(store: GraphStore) -> None:
    rows = store.read(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties[0] AS prop"
    )
    keys = {(r["label"], r["prop"]) for r in rows}
    for expected in [
        ("Company", "siren"), ("Establishment", "siret"), ("Person", "id"), ("Group", "id"),
        ("Agency", "code"), ("Agent", "sub"), ("CaseNote", "id"), ("Intervention", "id"),
        ("Alert", "id"), ("Delivery", "id"), ("TimelineEvent", "id"), ("Score", "id"),
    ]:  # fmt: skip
        assert expected in keys


def test_full_text_search_folds_accents(store: GraphStore) -> None:
    store.write("CREATE (:Company {siren: '552100554', name: 'Fromagerie de Franche-Comté Élevage'})")
    store.write("CALL db.awaitIndexes(60)")
    rows = store.read(
        "CALL db.index.fulltext.queryNodes('company_name', $q) YIELD node RETURN node.siren AS siren",
        {"q": "franche comte elevage"},
    )
    assert [r["siren"] for r in rows] == ["552100554"]


def test_an_edited_applied_migration_is_refused(store: GraphStore) -> None:
    first = load_migrations()[0]
    store.write("MATCH (m:Migration {version: $v}) SET m.checksum = 'tampered'", {"v": first.version})
    try:
        with pytest.raises(MigrationError, match="was changed after being applied"):
            migrate(store)
    finally:
        store.write("MATCH (m:Migration {version: $v}) SET m.checksum = $c", {"v": first.version, "c": first.checksum})
