"""relatedCompanies and failureImpact through HTTP with real tokens, on the hand-built graph."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes
from graph import HOME, siren

from graphstore.store import GraphStore

RELATED = """
query R($siren: String!, $hops: Int!, $first: Int) {
  relatedCompanies(siren: $siren, maxHops: $hops, first: $first) {
    totalCount
    items {
      company { siren name departement }
      hops dependency partnerP12 exposure rankValue
      path { fromSiren toSiren via groupId weight
             links { relationship direction percentage role dependencyShare } }
    }
  }
}
"""

RELATED_FRAGMENT = """
query R($siren: String!, $hops: Int!, $first: Int) {
  relatedCompanies(siren: $siren, maxHops: $hops, first: $first) {
    totalCount
    items { company { siren name departement } hops dependency partnerP12 exposure rankValue ...Paths }
  }
}
fragment Paths on RelatedCompany {
  path { fromSiren toSiren via groupId weight links { relationship direction percentage role dependencyShare } }
}
"""

IMPACT = """
query I($siren: String!) {
  failureImpact(siren: $siren) { totalCount items { company { siren name } relation dependency amount12m } }
}
"""


def _related(api: LiveApi, token: str, hops: int, first: int | None = None) -> dict[str, Any]:
    body = api.gql(token, RELATED, {"siren": siren("A"), "hops": hops, "first": first})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["relatedCompanies"]
    return result


def _by_siren(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["company"]["siren"]: i for i in result["items"]}


def test_one_hop_with_scores(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    result = _related(api, token, 1)
    assert result["totalCount"] == 5
    # ranked by exposure (p12 × dependency) where the score block is granted, else dependency:
    # E 0.5 (not listed: no score), B 0.8×0.6, D 0.5×0.8, C 0.3 (out of zone: no score), G 0.4×0.5
    assert [i["company"]["siren"] for i in result["items"]] == [siren(k) for k in "EBDCG"]
    items = _by_siren(result)
    b = items[siren("B")]
    assert b["partnerP12"] == pytest.approx(0.8)
    assert b["exposure"] == pytest.approx(0.48)
    assert b["path"][0]["links"][0]["relationship"] == "SUPPLIES"
    assert b["path"][0]["links"][0]["direction"] == "OUT"
    assert b["path"][0]["links"][0]["dependencyShare"] == pytest.approx(0.6)
    c = items[siren("C")]
    assert c["company"]["name"] == "Moulin de Paris"  # public identity even out of zone
    assert c["partnerP12"] is None and c["exposure"] is None
    assert c["dependency"] == pytest.approx(0.3)
    assert c["path"][0]["links"][0]["direction"] == "IN"
    e = items[siren("E")]
    assert e["partnerP12"] is None
    assert e["path"][0]["via"] == "PERSON"
    assert [link["role"] for link in e["path"][0]["links"]] == ["gérant", "président"]
    d = items[siren("D")]
    assert d["path"][0]["links"][0]["percentage"] == 80.0
    assert d["exposure"] == pytest.approx(0.4)
    g = items[siren("G")]
    assert g["path"][0]["via"] == "GROUP" and g["path"][0]["groupId"] == "G-HEAD"


def test_out_of_zone_partner_score_refused_and_audited(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    response = api.post(token, RELATED, {"siren": siren("A"), "hops": 1})
    rid = response.headers["X-Request-Id"]
    rows = built.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:scores'}) RETURN a.target AS t, a.outcome AS o",
        {"r": rid},
    )
    outcomes = {r["t"]: r["o"] for r in rows}
    assert outcomes[f"company:{siren('C')}"] == "denied"
    assert outcomes[f"company:{siren('E')}"] == "denied"
    assert outcomes[f"company:{siren('B')}"] == "allowed"


def test_without_score_role_ranked_by_dependency(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-noscore", agency=HOME, zones=("21",), roles=("urssaf",))
    result = _related(api, token, 3)
    assert result["totalCount"] == 7  # I is four hops away
    assert [i["company"]["siren"] for i in result["items"]] == [siren(k) for k in "DBEGCFH"]
    assert all(i["partnerP12"] is None and i["exposure"] is None for i in result["items"])
    items = _by_siren(result)
    assert items[siren("F")]["hops"] == 2
    assert items[siren("F")]["dependency"] == pytest.approx(0.3)
    assert [h["toSiren"] for h in items[siren("H")]["path"]] == [siren(k) for k in "BFH"]


def test_hops_bound_and_cap(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    two = _related(api, token, 2)
    assert two["totalCount"] == 6
    assert siren("H") not in _by_siren(two)
    assert _by_siren(two)[siren("F")]["exposure"] == pytest.approx(0.06)
    capped = _related(api, token, 2, first=2)
    assert capped["totalCount"] == 6
    assert len(capped["items"]) == 2
    for bad in (0, 4):
        body = api.gql(token, RELATED, {"siren": siren("A"), "hops": bad})
        assert codes(body) == ["BAD_USER_INPUT"]


def test_failure_impact(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-noscore", agency=HOME, zones=("21",), roles=("urssaf",))
    body = api.gql(token, IMPACT, {"siren": siren("A")})
    assert "errors" not in body, body
    impact = body["data"]["failureImpact"]
    assert impact["totalCount"] == 4
    got = [(i["company"]["siren"], i["relation"], i["dependency"]) for i in impact["items"]]
    assert got == [
        (siren("D"), "SUBSIDIARY", pytest.approx(0.8)),
        (siren("C"), "SUPPLIER", pytest.approx(0.7)),
        (siren("B"), "CLIENT", pytest.approx(0.1)),
        (siren("G"), "GROUP_MEMBER", None),
    ]


def test_unknown_company_is_empty(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    body = api.gql(token, RELATED, {"siren": "999999999", "hops": 3})
    assert body["data"]["relatedCompanies"] == {"totalCount": 0, "items": []}


def test_only_returned_partners_scores_are_audited_and_ranking_is_unchanged(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-page", agency=HOME, zones=("21",), roles=("score",))
    everything = _related(api, token, 3)
    response = api.post(token, RELATED, {"siren": siren("A"), "hops": 3, "first": 2})
    page = response.json()["data"]["relatedCompanies"]
    assert page["totalCount"] == everything["totalCount"] == 7
    # the page is the head of the full ranking, scores and exposures included
    assert page["items"] == everything["items"][:2]
    rows = built.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:scores'}) RETURN a.target AS t",
        {"r": response.headers["X-Request-Id"]},
    )
    # one entry per partner whose score could leave (the two returned), not per partner ranked
    assert sorted(r["t"] for r in rows) == sorted(f"company:{i['company']['siren']}" for i in page["items"])


def test_failure_impact_lists_a_member_of_two_shared_groups_once(api: LiveApi, built: GraphStore) -> None:
    built.write(
        "MATCH (a:Company {siren: $a}), (g:Company {siren: $g}) "
        "CREATE (gr:Group {id: 'G-SECOND', name: 'Second'}), (a)-[:MEMBER_OF]->(gr), (g)-[:MEMBER_OF]->(gr)",
        {"a": siren("A"), "g": siren("G")},
    )
    try:
        token = api.token("exp-noscore", agency=HOME, zones=("21",), roles=("urssaf",))
        impact = api.gql(token, IMPACT, {"siren": siren("A")})["data"]["failureImpact"]
        members = [i for i in impact["items"] if i["relation"] == "GROUP_MEMBER"]
        assert [m["company"]["siren"] for m in members] == [siren("G")]
        assert impact["totalCount"] == 4
    finally:
        built.write("MATCH (gr:Group {id: 'G-SECOND'}) DETACH DELETE gr")


def test_paths_asked_through_a_fragment_or_not_at_all(api: LiveApi, built: GraphStore) -> None:
    # the hops' links are read only when `path` is selected: directly, or through a fragment
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    direct = _related(api, token, 2)
    body = api.gql(token, RELATED_FRAGMENT, {"siren": siren("A"), "hops": 2})
    assert "errors" not in body, body
    assert body["data"]["relatedCompanies"] == direct
    assert any(i["path"] for i in direct["items"])
    bare = api.gql(
        token,
        "query R($siren: String!) { relatedCompanies(siren: $siren, maxHops: 2) "
        "{ totalCount items { company { siren } hops dependency partnerP12 } } }",
        {"siren": siren("A")},
    )
    assert "errors" not in bare, bare
    assert bare["data"]["relatedCompanies"]["totalCount"] == direct["totalCount"]
    assert [
        (i["company"]["siren"], i["hops"], i["dependency"], i["partnerP12"])
        for i in bare["data"]["relatedCompanies"]["items"]
    ] == [(i["company"]["siren"], i["hops"], i["dependency"], i["partnerP12"]) for i in direct["items"]]
