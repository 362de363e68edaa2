"""A small hand-built graph whose search, timeline and exposure answers are known.

Latest alert levels: A and D moderate, B, C and E high, F and G none (every older
score was high: only the latest counts). The focus company A (Boulangerie
Éclair, 21, listed) is tied to:

- B (21, listed, p12 0.8): A supplies B, B is 60 % of A's sales;
- C (75, listed, p12 0.9): C supplies A, 30 % of A's purchases (70 % of C's sales);
- D (21, listed, p12 0.5): A owns 80 % of D;
- E (21, not listed, p12 0.99): shares a director with A;
- G (21, listed, p12 0.4): same group as A;
- F (21, listed, p12 0.2, followed by HOME): B supplies F, F is 50 % of B's sales (two hops);
- H (21, not listed, in a procedure): F supplies H, all of F's sales (three hops);
- I (21): H supplies I (four hops: never related within 3); A owned it and A's
  director directed it, both ended (an ended link ties nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphstore.store import GraphStore

HOME = "URSSAF-21"


@dataclass(frozen=True)
class Co:
    siren: str
    name: str
    departement: str
    listed: bool = False
    p12: float | None = None
    alert: str | None = None


COS: dict[str, Co] = {
    "A": Co("200000001", "Boulangerie Éclair", "21", listed=True, p12=0.3, alert="moderate"),
    "B": Co("200000002", "Fromagerie du Comté", "21", listed=True, p12=0.8, alert="high"),
    "C": Co("200000003", "Moulin de Paris", "75", listed=True, p12=0.9, alert="high"),
    "D": Co("200000004", "Pâtisserie Filiale", "21", listed=True, p12=0.5, alert="moderate"),
    "E": Co("200000005", "Épicerie Voisine", "21", p12=0.99, alert="high"),
    "F": Co("200000006", "Café des Halles", "21", listed=True, p12=0.2, alert="none"),
    "G": Co("200000007", "Traiteur du Groupe", "21", listed=True, p12=0.4, alert="none"),
    "H": Co("200000008", "Hôtel Terminus", "21"),
    "I": Co("200000009", "Imprimerie Lointaine", "21"),
}


def siren(key: str) -> str:
    """The SIREN of a company of the graph."""
    return COS[key].siren


def _supplies(store: GraphStore, supplier: str, client: str, supplier_dep: float, client_dep: float) -> None:
    store.write(
        "MATCH (s:Company {siren: $s}), (c:Company {siren: $c}) "
        "CREATE (s)-[:SUPPLIES {supplier_dependency: $sd, client_dependency: $cd, amount_12m: 1000.0}]->(c)",
        {"s": siren(supplier), "c": siren(client), "sd": supplier_dep, "cd": client_dep},
    )


def build(store: GraphStore) -> None:
    """Writes the companies, their links, scores, alerts and the HOME agency's follow of F."""
    for key, co in COS.items():
        store.write(
            "CREATE (c:Company {siren: $siren, name: $name, departement: $dep, active: true, naf: $naf, "
            "headcount_band: $band, head_office_siret: $siren + '00011'})",
            {
                "siren": co.siren,
                "name": co.name,
                "dep": co.departement,
                "naf": "10.71C" if key in "ABD" else "56.10A",
                "band": "11" if key in "AB" else "02",
            },
        )
        if co.p12 is not None:
            store.write(
                "MATCH (c:Company {siren: $siren}) "
                "CREATE (:Score {id: $siren + '-old', siren: $siren, period: '2024-12', p12: 0.01, alert: 'high'})"
                "-[:FOR]->(c), "
                "(:Score {id: $siren + '-new', siren: $siren, period: '2025-01', p12: $p12, alert: $alert})-[:FOR]->(c)",
                {"siren": co.siren, "p12": co.p12, "alert": co.alert},
            )
        if co.listed:
            store.write(
                "MATCH (c:Company {siren: $siren}) "
                "CREATE (:Alert {id: $siren + '-a', siren: $siren, period: '2025-01', listed: true})-[:FOR]->(c)",
                {"siren": co.siren},
            )
    _supplies(store, "A", "B", 0.6, 0.1)
    _supplies(store, "C", "A", 0.7, 0.3)
    _supplies(store, "B", "F", 0.5, 0.2)
    _supplies(store, "F", "H", 1.0, 0.4)
    _supplies(store, "H", "I", 1.0, 0.9)
    store.write(
        "MATCH (a:Company {siren: $a}), (d:Company {siren: $d}) "
        "CREATE (a)-[:OWNS {percentage: 80.0, nature: 'directe'}]->(d)",
        {"a": siren("A"), "d": siren("D")},
    )
    store.write(
        "MATCH (a:Company {siren: $a}), (e:Company {siren: $e}) "
        "CREATE (p:Person {id: 'p1', last_name: 'Martin'}), "
        "(p)-[:DIRECTS {role: 'gérant'}]->(a), (p)-[:DIRECTS {role: 'président'}]->(e)",
        {"a": siren("A"), "e": siren("E")},
    )
    store.write(
        "MATCH (a:Company {siren: $a}), (g:Company {siren: $g}) "
        "CREATE (gr:Group {id: 'G-HEAD', name: 'Groupe'}), (a)-[:MEMBER_OF]->(gr), (g)-[:MEMBER_OF]->(gr)",
        {"a": siren("A"), "g": siren("G")},
    )
    store.write(
        "MATCH (a:Company {siren: $a}), (i:Company {siren: $i}), (p:Person {id: 'p1'}) "
        "CREATE (a)-[:OWNS {percentage: 50.0, since: date('2015-01-01'), until: date('2020-01-01')}]->(i), "
        "(p)-[:DIRECTS {role: 'gérant', until: date('2021-01-01')}]->(i)",
        {"a": siren("A"), "i": siren("I")},
    )
    store.write(
        "MATCH (h:Company {siren: $h}) "
        "CREATE (h)-[:SUBJECT_OF]->(:ProcedureCollective {id: $h + ':redressement', kind: 'redressement'})",
        {"h": siren("H")},
    )
    store.write(
        "MATCH (f:Company {siren: $f}) MERGE (ag:Agency {code: $agency}) "
        "CREATE (ag)-[:FOLLOWS {since: date('2025-01-01')}]->(f)",
        {"f": siren("F"), "agency": HOME},
    )


def add_event(store: GraphStore, key: str, event_id: str, kind: str, occurred_on: str, source: str = "test") -> None:
    """Adds a timeline event about a company."""
    store.write(
        "MATCH (c:Company {siren: $siren}) "
        "CREATE (:TimelineEvent {id: $id, siren: $siren, kind: $kind, source: $source, "
        "occurred_on: date($on), known_on: date($on), summary: $id, payload: '{\"k\": 1}'})-[:ABOUT]->(c)",
        {"siren": siren(key), "id": event_id, "kind": kind, "source": source, "on": occurred_on},
    )
