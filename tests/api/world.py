"""A small hand-built world for the access-matrix tests: companies in and out of
zone, on a detection list or not, followed, in interventions, with every data
block filled (scores in the graph, the rest in the measure store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphstore.measures import MeasureStore, Provenance, Table
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

HOME = "URSSAF-21"  # the agency of the agents under test
OTHER = "DREETS-75"


@dataclass(frozen=True)
class Case:
    """One company and the doctrine basis the HOME agency has on it (None: no basis)."""

    siren: str
    departement: str
    listed: bool = False
    follow: str | None = None  # agency following it
    follow_ended: bool = False
    intervention: str | None = None  # agency taking part
    left: bool = False
    closed: bool = False
    unlisted_alert: bool = False


CASES: dict[str, Case] = {
    "zone_listed": Case("100000001", "21", listed=True),
    "zone_not_listed": Case("100000002", "21", unlisted_alert=True),
    "out_listed": Case("100000003", "75", listed=True),
    "out_followed": Case("100000004", "75", follow=HOME),
    "out_followed_by_other": Case("100000005", "75", follow=OTHER, listed=True),
    "out_follow_ended": Case("100000006", "75", follow=HOME, follow_ended=True),
    "out_intervention": Case("100000007", "75", intervention=HOME),
    "out_intervention_left": Case("100000008", "75", intervention=HOME, left=True),
    "out_intervention_closed": Case("100000009", "75", intervention=HOME, closed=True),
    "zone_intervention_other": Case("100000010", "21", intervention=OTHER),
}


def build(store: GraphStore, settings: StoreSettings) -> None:
    """Writes the companies, their doctrine facts and their data blocks."""
    for name, c in CASES.items():
        store.write(
            "MERGE (co:Company {siren: $siren}) SET co.name = $name, co.departement = $dep, "
            "co.region = CASE $dep WHEN '21' THEN '27' ELSE '11' END, co.active = true",
            {"siren": c.siren, "name": f"Société {name}", "dep": c.departement},
        )
        store.write(
            "MATCH (co:Company {siren: $siren}) "
            "CREATE (:Score {id: $siren + '-2025-01', siren: $siren, period: '2025-01', p12: 0.42, p18: 0.5, "
            "p24: 0.61, model_version: 'v-test', explanation: '{\"debt\": 0.3}'})-[:FOR]->(co)",
            {"siren": c.siren},
        )
        if c.listed or c.unlisted_alert:
            store.write(
                "MATCH (co:Company {siren: $siren}) CREATE (:Alert {id: $siren + '-a', siren: $siren, "
                "period: '2025-01', region: co.region, level: 'F2', listed: $listed})-[:FOR]->(co)",
                {"siren": c.siren, "listed": c.listed},
            )
        if c.follow:
            store.write(
                "MATCH (co:Company {siren: $siren}) MERGE (ag:Agency {code: $agency}) "
                "CREATE (ag)-[f:FOLLOWS {since: date('2025-01-01'), reason: 'detection'}]->(co) "
                "SET f.until = CASE WHEN $ended THEN date('2025-02-01') ELSE null END",
                {"siren": c.siren, "agency": c.follow, "ended": c.follow_ended},
            )
        if c.intervention:
            store.write(
                "MATCH (co:Company {siren: $siren}) MERGE (ag:Agency {code: $agency}) "
                "CREATE (ag)-[p:PARTICIPATES_IN {role: 'lead', joined_at: date('2025-01-01')}]->"
                "(i:Intervention {id: $siren + '-i', kind: 'ccsf', status: $status})-[:ABOUT]->(co) "
                "SET p.left_at = CASE WHEN $left THEN date('2025-02-01') ELSE null END",
                {
                    "siren": c.siren,
                    "agency": c.intervention,
                    "left": c.left,
                    "status": "closed" if c.closed else "open",
                },
            )
    write_measures(settings, [c.siren for c in CASES.values()])


def write_measures(settings: StoreSettings, sirens: list[str]) -> None:
    """One debt, one contribution period, one month of short-time work, one balance sheet each."""
    ms = MeasureStore(settings.measures_dir)
    prov = Provenance("2025-03", date(2025, 3, 31), "test.csv")
    ms.write(
        Table.DEBT_LINES,
        [
            {
                "num_cpte": f"C{s}", "siren": s, "siret": s + "00011", "period": "251", "period_start": date(2025, 1, 1),
                "period_end": date(2025, 1, 31), "num_ecn": "1", "num_hist_ecn": 1, "processed_on": date(2025, 2, 10),
                "amount_po": 40_000, "amount_pp": 60_000,
            }
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.CONTRIBUTIONS,
        [
            {"siret": s + "00011", "siren": s, "compte": f"C{s}", "period": "251", "period_start": date(2025, 1, 1),
             "months": 1, "mer": 0.0, "paid": 300.0, "due": 500.0}
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.AP_USAGE,
        [
            {"id_da": f"D{s}", "siret": s + "00011", "siren": s, "month": date(2025, 1, 1), "hours": 70.0,
             "amount": 700.0, "headcount": 2.0}
            for s in sirens
        ],
        prov,
    )  # fmt: skip
    ms.write(
        Table.BDF_RATIOS,
        [{"siren": s, "year": 2023, "closed_on": date(2023, 12, 31), "taux_marge": 12.5} for s in sirens],
        prov,
    )
