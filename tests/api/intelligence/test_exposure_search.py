"""relatedCompanies' search on a graph of ties: which path is kept, how ties and levels rank.

O (the origin) owns 50 % of P1 and of P2, supplies Q (90 % of its sales to Q),
directs D and shares a director with D; P1 and P2 both own all of X; P1 owns
40 % of Y and Q 60 % of Y; P1, P2 and Z are in group GR-T. SIRENs: P2 < P1.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi

from graph_api.exposure import service
from graphstore.store import GraphStore

S = {
    "O": "300000001",
    "X": "300000002",
    "P2": "300000003",
    "Y": "300000004",
    "P1": "300000005",
    "D": "300000006",
    "Z": "300000007",
    "Q": "300000009",
}

RELATED = """
query R($siren: String!, $hops: Int!, $first: Int) {
  relatedCompanies(siren: $siren, maxHops: $hops, first: $first) {
    totalCount
    items { company { siren } hops dependency rankValue
            path { fromSiren toSiren via groupId weight links { relationship direction percentage } } }
  }
}
"""


@pytest.fixture(scope="module")
def ties(api: LiveApi) -> GraphStore:
    store = GraphStore()
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    for key, siren in S.items():
        store.write(
            "CREATE (:Company {siren: $s, name: $n, departement: '21', active: true})", {"s": siren, "n": f"Co {key}"}
        )
    owns = "CREATE (a)-[:OWNS {percentage: $p}]->(b)"
    for a, b, pct in [("O", "P1", 50.0), ("O", "P2", 50.0), ("P1", "X", 100.0), ("P2", "X", 100.0)]:
        store.write("MATCH (a:Company {siren: $a}), (b:Company {siren: $b}) " + owns, {"a": S[a], "b": S[b], "p": pct})
    for a, b, pct in [("P1", "Y", 40.0), ("Q", "Y", 60.0)]:
        store.write("MATCH (a:Company {siren: $a}), (b:Company {siren: $b}) " + owns, {"a": S[a], "b": S[b], "p": pct})
    store.write(
        "MATCH (o:Company {siren: $o}), (q:Company {siren: $q}) "
        "CREATE (o)-[:SUPPLIES {supplier_dependency: 0.9, client_dependency: 0.1, amount_12m: 1.0}]->(q)",
        {"o": S["O"], "q": S["Q"]},
    )
    store.write(
        "MATCH (o:Company {siren: $o}), (d:Company {siren: $d}) "
        "CREATE (m:Person {id: 'tie-m'}), (m)-[:DIRECTS {role: 'gérant'}]->(o), (m)-[:DIRECTS {role: 'gérant'}]->(d), "
        "(o)-[:DIRECTS {role: 'président'}]->(d)",
        {"o": S["O"], "d": S["D"]},
    )
    store.write(
        "CREATE (g:Group {id: 'GR-T'}) WITH g MATCH (c:Company) WHERE c.siren IN $members CREATE (c)-[:MEMBER_OF]->(g)",
        {"members": [S["P1"], S["P2"], S["Z"]]},
    )
    return store


def _related(api: LiveApi, hops: int, first: int | None = None) -> dict[str, Any]:
    token = api.token("tie-agent", zones=("21",), roles=("urssaf",))
    body = api.gql(token, RELATED, {"siren": S["O"], "hops": hops, "first": first})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["relatedCompanies"]
    return result


def _key(siren: str) -> str:
    return next(k for k, v in S.items() if v == siren)


def test_ranking_ties_go_to_fewer_hops_then_siren(api: LiveApi, ties: GraphStore) -> None:
    result = _related(api, 2)
    assert result["totalCount"] == 7
    # Q 0.9, Y 0.54, then 0.5: one hop (P2 < P1 < D) before two hops (X, the smallest SIREN), then Z 0.25
    assert [_key(i["company"]["siren"]) for i in result["items"]] == ["Q", "Y", "P2", "P1", "D", "X", "Z"]
    assert [i["hops"] for i in result["items"]] == [1, 2, 1, 1, 1, 2, 2]
    assert [i["dependency"] for i in result["items"]] == pytest.approx([0.9, 0.54, 0.5, 0.5, 0.5, 0.5, 0.25])
    assert _related(api, 1)["totalCount"] == 4
    capped = _related(api, 2, first=3)
    assert capped["totalCount"] == 7
    assert capped["items"] == result["items"][:3]


def test_kept_path_highest_dependency_then_smaller_sirens(api: LiveApi, ties: GraphStore) -> None:
    items = {_key(i["company"]["siren"]): i for i in _related(api, 3)["items"]}
    # Y: through Q (0.9 × 0.6) rather than P1 (0.5 × 0.4), although P1's SIREN is smaller
    assert [_key(h["toSiren"]) for h in items["Y"]["path"]] == ["Q", "Y"]
    assert items["Y"]["dependency"] == pytest.approx(0.54)
    # X: P1 and P2 give the same dependency; the smaller SIREN (P2) is kept
    assert [(_key(h["fromSiren"]), _key(h["toSiren"])) for h in items["X"]["path"]] == [("O", "P2"), ("P2", "X")]
    assert items["X"]["path"][1]["links"] == [{"relationship": "OWNS", "direction": "OUT", "percentage": 100.0}]
    # Z: through the group, from P2 for the same reason
    z = items["Z"]["path"]
    assert [_key(h["fromSiren"]) for h in z] == ["O", "P2"]
    assert z[1]["via"] == "GROUP" and z[1]["groupId"] == "GR-T" and z[1]["weight"] == pytest.approx(0.5)
    assert [link["relationship"] for link in z[1]["links"]] == ["MEMBER_OF", "MEMBER_OF"]


def test_same_weight_links_keep_the_direct_one(api: LiveApi, ties: GraphStore) -> None:
    d = {_key(i["company"]["siren"]): i for i in _related(api, 1)["items"]}["D"]
    # O directs D (0.5) and shares a director with D (0.5): the direct link is shown
    assert d["path"] == [
        {
            "fromSiren": S["O"],
            "toSiren": S["D"],
            "via": None,
            "groupId": None,
            "weight": 0.5,
            "links": [{"relationship": "DIRECTS", "direction": "OUT", "percentage": None}],
        }
    ]


def test_first_candidates_are_the_head_of_all(ties: GraphStore) -> None:
    # the last level's companies below the threshold of the levels before are only counted
    params = {"siren": S["O"], "frontier_limit": service.FRONTIER_LIMIT, **service._weights()}
    for hops in (1, 2, 3):
        full = ties.read(service._RELATED[hops], {**params, "first": 100})[0]
        assert len(full["top"]) == full["total"]
        for first in range(1, 9):
            part = ties.read(service._RELATED[hops], {**params, "first": first})[0]
            assert part["total"] == full["total"]
            assert part["top"] == full["top"][:first]
