"""A hand-built world for the company page: two groups of known sizes, owners, directors, scores, measures.

- Group SMALL: head P (21, listed, three establishments, owners, directors,
  two scores with an explanation) and one member.
- Group LARGE: head Q (21, listed) and five members, each with establishments,
  owners, directors, scores and measures like P's, so that a page listing the
  members of LARGE asks for three times the companies of SMALL.
- SMALL_MEMBER is in a procedure (redressement opened on 2025-03-15).
- H (75, out of zone): holding company owning 40 % of P and directing it.
- X (75): a failed supplier behind P's contagion explanation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from graphstore.measures import MeasureStore, Provenance, Table
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

P = "300000001"
SMALL_MEMBER = "300000002"
Q = "300000011"
LARGE_MEMBERS = [f"30000001{i}" for i in range(2, 7)]
H = "300000090"
X = "300000091"
UNKNOWN = "399999999"

EXPLANATION = {
    "groups": {"urssaf_debt": 0.8, "supplier_contagion": 0.3, "headcount": -0.5, "other": 0.01},
    "top_features": [
        {"feature": "debt_ratio", "contribution": 0.7},
        {"feature": "headcount_trend", "contribution": -0.4},
    ],
    "related": {
        "supplier_contagion": [{"siren": X, "weight": 0.4, "judgment": "2025-01"}],
        "group": [{"siren": SMALL_MEMBER, "weight": 1.0, "judgment": None}],
    },
}


@dataclass(frozen=True)
class Co:
    siren: str
    name: str
    departement: str
    group: str | None = None
    listed: bool = False
    establishments: int = 2


def companies() -> list[Co]:
    """Every company of the world."""
    cos = [
        Co(P, "Parent Éclair SA", "21", "SMALL", listed=True, establishments=3),
        Co(SMALL_MEMBER, "Membre Petit", "21", "SMALL", listed=True),
        Co(Q, "Quincaillerie Mère", "21", "LARGE", listed=True),
        *(Co(s, f"Filiale {i}", "21", "LARGE", listed=True) for i, s in enumerate(LARGE_MEMBERS)),
        Co(H, "Holding de Paris", "75", listed=True, establishments=1),
        Co(X, "Fournisseur Défaillant", "75", establishments=1),
    ]
    return cos


def build(store: GraphStore, settings: StoreSettings) -> None:
    """Writes the world into a clean graph and the measure store."""
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    for head, name in ((P, "Groupe Petit"), (Q, "Groupe Large")):
        store.write(
            "CREATE (:Group {id: $id, name: $name, reference_date: date('2024-12-31')})", {"id": head, "name": name}
        )
    for co in companies():
        _company(store, co)
    for co in companies():
        if co.departement == "21":
            _people(store, co.siren)
    _links(store)
    _measures(settings, [c.siren for c in companies()])


def _company(store: GraphStore, co: Co) -> None:
    store.write(
        "CREATE (c:Company {siren: $siren, name: $name, departement: $dep, active: true, naf: '46.74A', "
        "headcount_band: '12', head_office_siret: $siren + '00011', created_on: date('2001-05-01')})",
        {"siren": co.siren, "name": co.name, "dep": co.departement},
    )
    for i in range(co.establishments):
        store.write(
            "MATCH (c:Company {siren: $siren}) "
            "CREATE (:Establishment {siret: $siret, siren: $siren, nic: $nic, name: $name, active: $active, "
            "departement: $dep, commune: 'Dijon', postal_code: '21000'})-[:PART_OF]->(c)",
            {
                "siren": co.siren,
                "siret": f"{co.siren}{i + 1:04d}1",
                "nic": f"{i + 1:04d}1",
                "name": f"{co.name} #{i + 1}",
                "active": i < 2,
                "dep": co.departement,
            },
        )
    if co.group:
        head = P if co.group == "SMALL" else Q
        store.write(
            "MATCH (c:Company {siren: $siren}), (g:Group {id: $g}) CREATE (c)-[:MEMBER_OF]->(g)",
            {"siren": co.siren, "g": head},
        )
    if co.listed:
        store.write(
            "MATCH (c:Company {siren: $siren}) "
            "CREATE (:Alert {id: $siren + '-a', siren: $siren, period: '2025-05', listed: true, level: 'high'})"
            "-[:FOR]->(c)",
            {"siren": co.siren},
        )
    if co.departement == "21":
        store.write(
            "MATCH (c:Company {siren: $siren}) "
            "CREATE (:Score {id: $siren + ':2025-04', siren: $siren, period: '2025-04', p12: 0.1, p18: 0.15, "
            "p24: 0.2, alert: 'none', model_version: 'm-2025-03'})-[:FOR]->(c), "
            "(:Score {id: $siren + ':2025-05', siren: $siren, period: '2025-05', p12: 0.31, p18: 0.42, p24: 0.5, "
            "alert: 'high', model_version: 'm-2025-04', explanation: $ex})-[:FOR]->(c)",
            {"siren": co.siren, "ex": json.dumps(EXPLANATION)},
        )


def _people(store: GraphStore, siren: str) -> None:
    """Every company of the 21: a person owning 60 % and presiding, the holding owning 40 % and directing;
    it sells 30 % of its sales to X (out of zone), which is 10 % of X's purchases."""
    store.write(
        "MATCH (c:Company {siren: $siren}), (x:Company {siren: $x}) "
        "CREATE (c)-[:SUPPLIES {supplier_dependency: 0.3, client_dependency: 0.1, amount_12m: 5000.0}]->(x)",
        {"siren": siren, "x": X},
    )
    store.write(
        "MATCH (c:Company {siren: $siren}), (h:Company {siren: $h}) "
        "CREATE (p:Person {id: $siren + '-p', last_name: 'Dupont', first_names: 'Jean', birth_year: 1960}), "
        "(p)-[:OWNS {percentage: 60.0, nature: 'directe', since: date('2015-03-01')}]->(c), "
        "(h)-[:OWNS {percentage: 40.0, nature: 'directe', since: date('2018-01-01')}]->(c), "
        "(p)-[:DIRECTS {role: 'président', since: date('2015-03-01')}]->(c), "
        "(h)-[:DIRECTS {role: 'directeur général', since: date('2018-01-01')}]->(c)",
        {"siren": siren, "h": H},
    )


def _links(store: GraphStore) -> None:
    store.write(
        "MATCH (c:Company {siren: $s}) "
        "CREATE (c)-[:SUBJECT_OF]->(:ProcedureCollective {id: $s + ':redressement:2025-03-15', siren: $s, "
        "kind: 'redressement', stage: 'ouverture', judgment_date: date('2025-03-15'), nature: $nature})",
        {"s": SMALL_MEMBER, "nature": "Jugement d'ouverture"},
    )
    store.write(
        "MATCH (c:Company {siren: $p}) "
        "CREATE (o:Person {id: 'old-owner', last_name: 'Ancien', first_names: 'Paul'}), "
        "(o)-[:OWNS {percentage: 20.0, nature: 'indirecte', since: date('2010-01-01'), until: date('2019-06-30')}]->(c)",
        {"p": P},
    )


def _measures(settings: StoreSettings, sirens: list[str]) -> None:
    ms = MeasureStore(settings.measures_dir)
    prov = Provenance("2025-06", date(2025, 6, 30), "company-page.csv")
    ms.write(
        Table.DEBT_LINES,
        [
            {"num_cpte": f"K{s}", "siren": s, "siret": s + "00011", "period": "251", "period_start": date(2025, 1, 1),
             "period_end": date(2025, 1, 31), "num_ecn": "1", "num_hist_ecn": 1, "processed_on": date(2025, 2, 10),
             "amount_po": 40_000, "amount_pp": 60_000}
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.CONTRIBUTIONS,
        [
            {"siret": s + "00011", "siren": s, "compte": f"K{s}", "period": "251", "period_start": date(2025, 1, 1),
             "months": 1, "mer": 0.0, "paid": 300.0, "due": 500.0}
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.AP_USAGE,
        [
            {"id_da": f"K{s}", "siret": s + "00011", "siren": s, "month": date(2025, 1, 1), "hours": 151.67,
             "amount": 1500.0, "headcount": 2.0}
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.BDF_RATIOS,
        [{"siren": s, "year": 2024, "closed_on": date(2024, 12, 31), "taux_marge": 7.5} for s in sirens],
        prov,
    )
    ms.write(
        Table.HEADCOUNT_COMPANY,
        [{"siren": s, "month": date(2025, m, 1), "headcount": 30.0 - m} for s in sirens for m in (1, 2, 3)],
        prov,
    )
