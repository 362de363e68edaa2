"""Hand-built dated graphs for the GNN tests, written with parameterised Cypher."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphstore.store import GraphStore

Row = Mapping[str, Any]


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


KNOWN = "2020-12-01"


def _month(year: int, month: int, plus: int = 0) -> str:
    k = year * 12 + month - 1 + plus
    return f"{k // 12:04d}-{k % 12 + 1:02d}-15"


def _failure(siren: str, judged: str) -> dict[str, str]:
    # Delivered the month after the judgment, as BODACC would be.
    y, m, _ = (int(p) for p in judged.split("-"))
    return {"siren": siren, "kind": "redressement", "judgment_date": judged, "known_on": _month(y, m, 1)[:8] + "05"}


def planted_contagion(b: GraphBuilder) -> dict[str, list[str]]:
    """A ~210-company region where failures spread along client and group links only.

    Hubs (big clients) fail through 2021-2022 and their two dedicated suppliers
    (90 % of their sales) fail four months later; in 16 groups of three, one member
    fails and the two others follow. Hub H24 and group 16's first member fail in
    November 2023; their exposed companies fail only in April 2024. Hubs 25-29 and
    groups 17-19 stay healthy (controls); 60 loosely linked fillers fail at random.

    Returns:
        Named lists of SIRENs: exposed_suppliers, control_suppliers,
        exposed_members, control_members.
    """
    companies: list[str] = []
    supplies: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    for i in range(30):
        hub = f"H{i:02d}"
        companies.append(hub)
        for s in "ab":
            sup = f"S{i:02d}{s}"
            companies.append(sup)
            supplies.append({"src": sup, "dst": hub, "since": "2019-01-01", "known_on": KNOWN,
                             "supplier_dependency": 0.9, "client_dependency": 0.3})  # fmt: skip
            if i < 24 and not (i % 7 == 0 and s == "b"):
                failures.append(_failure(sup, _month(2021, 1, i + 4)))
        if i < 24:
            failures.append(_failure(hub, _month(2021, 1, i)))
    failures.append(_failure("H24", "2023-11-15"))
    for j in range(20):
        group = f"G{j:02d}"
        for k in range(3):
            m = f"M{j:02d}{k}"
            companies.append(m)
            members.append({"src": m, "dst": group, "known_on": KNOWN})
            if j < 16 and (k == 0 or j % 5 != 0 or k == 1):
                failures.append(_failure(m, _month(2021, 2, j + (4 if k else 0))))
    failures.append(_failure("M160", "2023-11-15"))
    for f in range(60):
        filler = f"F{f:02d}"
        companies.append(filler)
        src = (f * 7 + 3) % 60
        if src != f:
            supplies.append({"src": f"F{src:02d}", "dst": filler, "since": "2019-01-01", "known_on": KNOWN,
                             "supplier_dependency": 0.1, "client_dependency": 0.1})  # fmt: skip
        if f % 20 == 3:
            failures.append(_failure(filler, _month(2021, 3, f // 2)))
    b.companies([{"siren": c, "created_on": "2010-01-01", "known_on": KNOWN} for c in companies])
    b.supplies(supplies)
    b.members(members)
    b.procedures(failures)
    return {
        "exposed_suppliers": ["S24a", "S24b"],
        "control_suppliers": [f"S{i:02d}{s}" for i in range(25, 30) for s in "ab"],
        "exposed_members": ["M161", "M162"],
        "control_members": [f"M{j:02d}{k}" for j in range(17, 20) for k in range(3)],
    }


def after_january_2024(b: GraphBuilder) -> None:
    """Facts that all become known after January 2024 (some valid earlier), none re-sent."""
    b.companies([{"siren": "N01", "created_on": "2024-02-01", "known_on": "2024-02-05"}])
    b.procedures([_failure(s, "2024-04-15") for s in ("S24a", "S24b", "M161", "M162")])
    b.procedures([{"siren": "F10", "kind": "liquidation", "judgment_date": "2023-12-20", "known_on": "2024-02-05"}])
    b.supplies(
        [
            {"src": "N01", "dst": "S25a", "since": "2024-02-01", "known_on": "2024-03-05",
             "supplier_dependency": 0.5, "client_dependency": 0.5},
            # Valid since 2023 but delivered late: invisible in January.
            {"src": "F11", "dst": "S26a", "since": "2023-01-01", "known_on": "2024-02-05",
             "supplier_dependency": 0.5, "client_dependency": 0.9},
        ]
    )  # fmt: skip
    b.person_links("directs", [{"src": "P9", "dst": "S28a", "percentage": None, "since": "2022-01-01",
                                "until": None, "known_on": "2024-02-05"},
                               {"src": "P9", "dst": "H03", "percentage": None, "since": "2022-01-01",
                                "until": None, "known_on": "2024-02-05"}])  # fmt: skip


def resent_after_january_2024(b: GraphBuilder) -> None:
    """Facts known after January 2024 of the kinds that ``ResentPolicy.VALID_TIME`` dates by validity."""
    b.companies([{"siren": "N02", "created_on": "2015-01-01", "known_on": "2024-03-05"}])
    b.members([{"src": "S27a", "dst": "G01", "known_on": "2024-02-05"}])
