"""Hand-built dated graphs for the GNN tests, written with parameterised Cypher."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
import torch

from graphstore.store import GraphStore

Row = Mapping[str, Any]


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    # Two cores for the whole team: the tests stay on one.
    torch.set_num_threads(1)


class GraphBuilder:
    """Writes companies, links and procedures; dates are ``YYYY-MM-DD`` strings.

    Args:
        store: the store of the test (clean graph).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def companies(self, rows: Iterable[Row]) -> None:
        """Rows: siren, created_on, known_on, and optionally naf, legal_form, headcount_band."""
        self.store.write(
            """
            UNWIND $rows AS row
            MERGE (c:Company {siren: row.siren})
            SET c.created_on = date(row.created_on), c.known_on = date(row.known_on),
                c.naf = coalesce(row.naf, '25.62A'), c.legal_form = coalesce(row.legal_form, '5710'),
                c.headcount_band = coalesce(row.headcount_band, '12')
            """,
            {"rows": [dict(r) for r in rows]},
        )

    def supplies(self, rows: Iterable[Row]) -> None:
        """Rows: src (supplier), dst (client), since, known_on, supplier_dependency, client_dependency."""
        self.store.write(
            """
            UNWIND $rows AS row
            MATCH (s:Company {siren: row.src}), (c:Company {siren: row.dst})
            CREATE (s)-[:SUPPLIES {since: date(row.since), known_on: date(row.known_on),
                    supplier_dependency: row.supplier_dependency, client_dependency: row.client_dependency}]->(c)
            """,
            {"rows": [dict(r) for r in rows]},
        )

    def company_owns(self, rows: Iterable[Row]) -> None:
        """Rows: src (owner siren), dst, percentage, since, until (or None), known_on."""
        self.store.write(
            """
            UNWIND $rows AS row
            MATCH (o:Company {siren: row.src}), (c:Company {siren: row.dst})
            CREATE (o)-[:OWNS {percentage: row.percentage, nature: 'directe', since: date(row.since),
                    until: CASE WHEN row.until IS NULL THEN null ELSE date(row.until) END,
                    known_on: date(row.known_on)}]->(c)
            """,
            {"rows": [dict(r) for r in rows]},
        )

    def person_links(self, kind: str, rows: Iterable[Row]) -> None:
        """``kind`` owns or directs; rows: src (person id), dst, since, until, known_on, percentage."""
        query = (
            """
            UNWIND $rows AS row
            MERGE (p:Person {id: row.src}) WITH p, row
            MATCH (c:Company {siren: row.dst})
            CREATE (p)-[:OWNS {percentage: row.percentage, since: date(row.since),
                    until: CASE WHEN row.until IS NULL THEN null ELSE date(row.until) END,
                    known_on: date(row.known_on)}]->(c)
            """
            if kind == "owns"
            else """
            UNWIND $rows AS row
            MERGE (p:Person {id: row.src}) WITH p, row
            MATCH (c:Company {siren: row.dst})
            CREATE (p)-[:DIRECTS {role: 'Gérant', since: date(row.since),
                    until: CASE WHEN row.until IS NULL THEN null ELSE date(row.until) END,
                    known_on: date(row.known_on)}]->(c)
            """
        )
        self.store.write(query, {"rows": [dict(r) for r in rows]})

    def members(self, rows: Iterable[Row]) -> None:
        """Rows: src (company), dst (group id), known_on."""
        self.store.write(
            """
            UNWIND $rows AS row
            MERGE (g:Group {id: row.dst}) WITH g, row
            MATCH (c:Company {siren: row.src})
            CREATE (c)-[:MEMBER_OF {known_on: date(row.known_on)}]->(g)
            """,
            {"rows": [dict(r) for r in rows]},
        )

    def procedures(self, rows: Iterable[Row]) -> None:
        """Rows: siren, kind, judgment_date, known_on."""
        self.store.write(
            """
            UNWIND $rows AS row
            MATCH (c:Company {siren: row.siren})
            CREATE (c)-[:SUBJECT_OF]->(:ProcedureCollective {id: row.siren + '-' + row.judgment_date,
                    siren: row.siren, kind: row.kind, judgment_date: date(row.judgment_date),
                    known_on: date(row.known_on)})
            """,
            {"rows": [dict(r) for r in rows]},
        )


@pytest.fixture
def graph_builder(store: GraphStore) -> GraphBuilder:
    """A builder on the clean graph of this test."""
    return GraphBuilder(store)
