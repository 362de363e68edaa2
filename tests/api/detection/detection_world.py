"""A small hand-built set of detection lists whose answers are known.

Region 27 (Bourgogne-Franche-Comté), list of 2025-12, from the HOME agency's
point of view (agents covering département 21 unless said otherwise):

| key | dép. | level | rank | first | NAF | band | HOME follows | HOME handling | other agency |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| D1 | 21 | high | 1 | yes | 56.10A | 11 | | acknowledged | |
| D2 | 21 | moderate | 2 | no | 10.71C | 02 | yes | (new) | dismissed |
| D3 | 21 | moderate | 3 | yes | 56.30Z | 03 | | dismissed "déjà suivi" | |
| D4 | 25 | high | 4 | yes | 56.10A | 11 | | | |

D5 (21) is on the 2025-11 list only; D6 (21) has a 2025-12 alert that was not
published (``listed = false``); R1 (75) is on region 11's 2025-12 list. D3's name
starts with ``=`` (a spreadsheet formula if exported carelessly).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphstore.store import GraphStore

HOME = "URSSAF-21"
OTHER = "DREETS-27"
PERIOD = "2025-12"


@dataclass(frozen=True)
class Listed:
    siren: str
    name: str
    departement: str
    region: str
    level: str
    rank: int
    first: bool
    naf: str
    band: str
    period: str = PERIOD
    listed: bool = True


# SIRENs of their own (370…): the measure store is shared by the whole test session.
ITEMS: dict[str, Listed] = {
    "D1": Listed("370000001", "Boulangerie Aube", "21", "27", "high", 1, True, "56.10A", "11"),
    "D2": Listed("370000002", "Fromagerie Brune", "21", "27", "moderate", 2, False, "10.71C", "02"),
    "D3": Listed("370000003", '=HYPERLINK("x")', "21", "27", "moderate", 3, True, "56.30Z", "03"),
    "D4": Listed("370000004", "Brasserie Doubs", "25", "27", "high", 4, True, "56.10A", "11"),
    "D5": Listed("370000005", "Café Novembre", "21", "27", "high", 1, True, "56.10A", "11", period="2025-11"),
    "D6": Listed("370000006", "Atelier Caché", "21", "27", "high", 9, True, "56.10A", "11", listed=False),
    "R1": Listed("370000007", "Bistrot Paris", "75", "11", "high", 1, True, "56.10A", "11"),
}


def siren(key: str) -> str:
    """The SIREN of an item of the world."""
    return ITEMS[key].siren


def build(store: GraphStore) -> None:
    """Writes the companies, their scores and alerts, HOME's follow and both agencies' handling."""
    for it in ITEMS.values():
        store.write(
            "MERGE (c:Company {siren: $siren}) "
            "SET c.name = $name, c.departement = $dep, c.region = $region, c.naf = $naf, c.headcount_band = $band, "
            "c.active = true, c.category = 'PME' "
            "CREATE (:Score {id: $siren + ':' + $period, siren: $siren, period: $period, p12: 0.31, p18: 0.42, "
            "p24: 0.53, model_version: 'v-test', alert: $level})-[:FOR]->(c) "
            "CREATE (:Alert {id: $siren + ':' + $period, siren: $siren, period: $period, level: $level, "
            "region: $region, first_alert: $first, listed: $listed, p12: 0.31, rank: $rank, "
            "created_at: datetime('2026-01-05T08:00:00Z')})-[:FOR]->(c)",
            {
                "siren": it.siren,
                "name": it.name,
                "dep": it.departement,
                "region": it.region,
                "naf": it.naf,
                "band": it.band,
                "period": it.period,
                "level": it.level,
                "first": it.first,
                "listed": it.listed,
                "rank": it.rank,
            },
        )
    store.write(
        "MATCH (c:Company {siren: $s}) MERGE (ag:Agency {code: $home}) "
        "CREATE (ag)-[:FOLLOWS {since: date('2025-12-10'), reason: 'detection'}]->(c)",
        {"s": siren("D2"), "home": HOME},
    )
    handle(store, HOME, "D1", "acknowledged")
    handle(store, OTHER, "D2", "dismissed", "pas pour nous")
    handle(store, HOME, "D3", "dismissed", "déjà suivi")


def handle(store: GraphStore, agency: str, key: str, status: str, reason: str | None = None) -> None:
    """Sets an agency's handling of an item's alert, as the alert mutations store it."""
    store.write(
        "MATCH (a:Alert {id: $id}) MERGE (ag:Agency {code: $agency}) MERGE (ag)-[h:HANDLES]->(a) "
        "SET h.status = $status, h.reason = $reason, h.at = datetime('2026-01-06T09:30:00Z'), h.by = 'someone'",
        {"id": f"{siren(key)}:{ITEMS[key].period}", "agency": agency, "status": status, "reason": reason},
    )
