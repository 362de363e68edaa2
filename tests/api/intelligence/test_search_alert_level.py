"""The search's alert-level filter: latest score only, needs the score role, limited to what the doctrine grants."""

from __future__ import annotations

from typing import Any

from api_support import LiveApi, codes
from graph import HOME, siren

from graphstore.store import GraphStore

SEARCH = """
query S($f: SearchFilters) { searchCompanies(query: "", filters: $f) { totalCount edges { node { siren } } } }
"""


def _sirens(api: LiveApi, token: str, **filters: Any) -> tuple[int, list[str]]:
    body = api.gql(token, SEARCH, {"f": filters})
    assert "errors" not in body, body
    result = body["data"]["searchCompanies"]
    return result["totalCount"], sorted(e["node"]["siren"] for e in result["edges"])


def test_latest_level_within_the_doctrine(api: LiveApi, built: GraphStore) -> None:
    token = api.token("lvl-21", agency=HOME, zones=("21",), roles=("score",))
    # C (75) is high but out of zone; E (21) is high but was never listed: neither is granted
    assert _sirens(api, token, alertLevels=["HIGH"]) == (1, [siren("B")])
    assert _sirens(api, token, alertLevels=["MODERATE"]) == (2, [siren("A"), siren("D")])
    assert _sirens(api, token, alertLevels=["NONE"]) == (2, [siren("F"), siren("G")])
    assert _sirens(api, token, alertLevels=["HIGH", "MODERATE"]) == (3, [siren(k) for k in "ABD"])
    assert _sirens(api, token, alertLevels=["NONE"], followedByMyAgency=True) == (1, [siren("F")])
    assert _sirens(api, token, alertLevels=[]) == (0, [])


def test_followed_company_out_of_zone(api: LiveApi, built: GraphStore) -> None:
    # an agency of the 75 sees C (listed in its zone) and, through its follow, F in the 21
    built.write(
        "MATCH (f:Company {siren: $f}) MERGE (ag:Agency {code: 'DREETS-75'}) "
        "MERGE (ag)-[:FOLLOWS {since: date('2025-02-01')}]->(f)",
        {"f": siren("F")},
    )
    token = api.token("lvl-75", agency="DREETS-75", zones=("75",), roles=("score",))
    assert _sirens(api, token, alertLevels=["HIGH"]) == (1, [siren("C")])
    assert _sirens(api, token, alertLevels=["NONE"]) == (1, [siren("F")])


def test_needs_the_score_role(api: LiveApi, built: GraphStore) -> None:
    token = api.token("lvl-noscore", agency=HOME, zones=("21",), roles=("urssaf",))
    body = api.gql(token, SEARCH, {"f": {"alertLevels": ["HIGH"]}})
    assert codes(body) == ["FORBIDDEN"]
    assert body["data"] is None
    # the other filters need no role
    assert _sirens(api, token, departements=["75"]) == (1, [siren("C")])


def test_each_hit_is_audited_as_a_score_read(api: LiveApi, built: GraphStore) -> None:
    token = api.token("lvl-21", agency=HOME, zones=("21",), roles=("score",))
    response = api.post(token, SEARCH, {"f": {"alertLevels": ["MODERATE"]}})
    rows = built.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:scores'}) RETURN a.target AS t, a.outcome AS o",
        {"r": response.headers["X-Request-Id"]},
    )
    assert sorted((r["t"], r["o"]) for r in rows) == [
        (f"company:{siren('A')}", "allowed"),
        (f"company:{siren('D')}", "allowed"),
    ]
