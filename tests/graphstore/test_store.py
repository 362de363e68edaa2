"""Round trips and error translation through the store layer."""

from __future__ import annotations

import asyncio

import pytest
from neo4j import ManagedTransaction

from graphstore.errors import ConstraintViolation
from graphstore.store import AsyncGraphStore, GraphStore


def test_batched_unwind_round_trip(store: GraphStore) -> None:
    rows = ({"siren": f"{i:09d}", "name": f"Société {i}"} for i in range(12_345))
    batches: list[int] = []
    written = store.write_batches(
        "UNWIND $rows AS row MERGE (c:Company {siren: row.siren}) SET c.name = row.name",
        rows,
        batch_size=5000,
        on_batch=batches.append,
    )
    assert written == 12_345
    assert batches == [5000, 5000, 2345]
    got = store.read("MATCH (c:Company) RETURN count(c) AS n, max(c.name) AS last")[0]
    assert got["n"] == 12_345
    # The same rows again: MERGE keeps it idempotent.
    store.write_batches(
        "UNWIND $rows AS row MERGE (c:Company {siren: row.siren}) SET c.name = row.name",
        ({"siren": f"{i:09d}", "name": f"Société {i}"} for i in range(12_345)),
    )
    assert store.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"] == 12_345


def test_parameters_are_not_interpreted_as_cypher(store: GraphStore) -> None:
    evil = "x'}) DETACH DELETE c //"
    store.write("CREATE (:Company {siren: '000000001', name: $name})", {"name": evil})
    assert store.read("MATCH (c:Company) RETURN c.name AS name") == [{"name": evil}]


def test_constraint_violation_becomes_a_clear_error(store: GraphStore) -> None:
    store.write("CREATE (:Company {siren: '552100554'})")
    with pytest.raises(ConstraintViolation, match="552100554"):
        store.write("CREATE (:Company {siren: '552100554'})")
    assert store.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"] == 1


def test_a_failed_transaction_writes_nothing(store: GraphStore) -> None:
    def work(tx: ManagedTransaction) -> None:
        tx.run("CREATE (:Company {siren: '111111111'})").consume()
        tx.run("CREATE (:Company {siren: '111111111'})").consume()

    with pytest.raises(ConstraintViolation):
        store.write_tx(work)
    assert store.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"] == 0


def test_async_store_reads_what_the_sync_store_wrote(store: GraphStore) -> None:
    store.write("CREATE (:Company {siren: '732829320', name: 'Async'})")

    async def read() -> list[dict[str, object]]:
        from neo4j import AsyncGraphDatabase

        from graphstore.connection import resolve_connection
        from graphstore.settings import get_settings

        info = resolve_connection(get_settings())
        drv = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
        try:
            return await AsyncGraphStore(drv, info.database).read(
                "MATCH (c:Company {siren: $s}) RETURN c.name AS name", {"s": "732829320"}
            )
        finally:
            await drv.close()

    assert asyncio.run(read()) == [{"name": "Async"}]
