"""detectionList through HTTP with real tokens: filters, totals, pagination, handling, doctrine, audit."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes, error_paths
from detection_world import HOME, PERIOD, handle, siren

from graphstore.store import GraphStore

LIST = """
query L($region: String!, $period: String, $f: DetectionFilters, $first: Int, $after: String) {
  detectionList(region: $region, period: $period, filters: $f, first: $first, after: $after) {
    region period departements totalCount endCursor hasNextPage
    countsByLevel { value count }
    countsByStatus { value count }
    items {
      cursor followedByMyAgency visibleBlocks
      alert { id period level region firstAlert rank listedAt }
      handling { status reason at by }
      company { siren name departement naf headcountBand }
    }
  }
}
"""

WITH_SCORES = """
query L($region: String!) {
  detectionList(region: $region) {
    items { company { siren name scores { latest { period p12 p24 } } } visibleBlocks }
  }
}
"""


def _list(api: LiveApi, token: str, region: str = "27", **variables: Any) -> dict[str, Any]:
    body = api.gql(token, LIST, {"region": region, **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["detectionList"]
    return result


def _sirens(result: dict[str, Any]) -> list[str]:
    return [i["company"]["siren"] for i in result["items"]]


def test_list_in_my_zones_in_published_order(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    result = _list(api, tokens["plain"])
    assert result["region"] == "27"
    assert result["period"] == PERIOD  # the latest list when no period is given
    assert result["departements"] == ["21"]
    # D4 is in 25 (not a zone of this agent), D5 on an older list, D6 never published.
    assert _sirens(result) == [siren("D1"), siren("D2"), siren("D3")]
    assert result["totalCount"] == 3
    assert result["hasNextPage"] is False
    first = result["items"][0]
    assert first["alert"] == {
        "id": f"{siren('D1')}:{PERIOD}",
        "period": PERIOD,
        "level": "high",
        "region": "27",
        "firstAlert": True,
        "rank": 1,
        "listedAt": "2026-01-05T08:00:00+00:00",
    }
    assert first["company"]["name"] == "Boulangerie Aube"
    assert {c["value"]: c["count"] for c in result["countsByLevel"]} == {"high": 1, "moderate": 2}
    assert {c["value"]: c["count"] for c in result["countsByStatus"]} == {"acknowledged": 1, "dismissed": 1, "new": 1}


def test_handling_is_my_agencys_only(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    items = {i["company"]["siren"]: i for i in _list(api, tokens["plain"])["items"]}
    assert items[siren("D1")]["handling"]["status"] == "ACKNOWLEDGED"
    # Another agency dismissed D2: for HOME it is still new.
    assert items[siren("D2")]["handling"] == {"status": "NEW", "reason": None, "at": None, "by": None}
    assert items[siren("D3")]["handling"]["reason"] == "déjà suivi"
    assert items[siren("D2")]["followedByMyAgency"] is True
    assert items[siren("D1")]["followedByMyAgency"] is False


def test_older_period(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    result = _list(api, tokens["plain"], period="2025-11")
    assert _sirens(result) == [siren("D5")]
    assert _list(api, tokens["plain"], period="2024-01")["totalCount"] == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"levels": ["high"]}, ["D1"]),
        ({"firstAlertOnly": True}, ["D1", "D3"]),
        ({"nafPrefix": "56"}, ["D1", "D3"]),
        ({"nafPrefix": "56.1"}, ["D1"]),
        ({"sizeBands": ["02", "03"]}, ["D2", "D3"]),
        ({"followedByMyAgency": True}, ["D2"]),
        ({"followedByMyAgency": False}, ["D1", "D3"]),
        ({"statuses": ["NEW"]}, ["D2"]),
        ({"statuses": ["ACKNOWLEDGED", "DISMISSED"]}, ["D1", "D3"]),
        ({"statuses": ["CONVERTED"]}, []),
        ({"departements": ["21"], "levels": ["moderate"], "firstAlertOnly": True}, ["D3"]),
    ],
)
def test_filters(
    api: LiveApi, built: GraphStore, tokens: dict[str, str], filters: dict[str, Any], expected: list[str]
) -> None:
    result = _list(api, tokens["plain"], f=filters)
    assert _sirens(result) == [siren(k) for k in expected]
    assert result["totalCount"] == len(expected)


def test_region_agent_sees_both_departements(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    result = _list(api, tokens["region"], region="BFC")
    assert result["departements"] == ["21", "25"]
    assert _sirens(result) == [siren(k) for k in ("D1", "D2", "D3", "D4")]
    assert _sirens(_list(api, tokens["region"], f={"departements": ["25"]})) == [siren("D4")]


def test_pagination_is_stable(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    page1 = _list(api, tokens["plain"], first=2)
    assert _sirens(page1) == [siren("D1"), siren("D2")]
    assert page1["hasNextPage"] is True and page1["totalCount"] == 3
    page2 = _list(api, tokens["plain"], first=2, after=page1["endCursor"])
    assert _sirens(page2) == [siren("D3")]
    assert page2["hasNextPage"] is False and page2["totalCount"] == 3
    body = api.gql(tokens["plain"], LIST, {"region": "27", "after": "bm9wZQ=="})
    assert codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("who", "variables"),
    [
        ("nodetect", {"region": "27"}),  # no detection role
        ("paris", {"region": "27"}),  # region outside the agent's zones
        ("plain", {"region": "27", "f": {"departements": ["25"]}}),  # département of the region, not a zone
        ("plain", {"region": "11"}),
    ],
)
def test_refused_outside_the_doctrine(
    api: LiveApi, built: GraphStore, tokens: dict[str, str], who: str, variables: dict[str, Any]
) -> None:
    body = api.gql(tokens[who], LIST, variables)
    assert body["data"] is None
    assert codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == "Not allowed."


def test_other_region_for_its_agents(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    assert _sirens(_list(api, tokens["paris"], region="11")) == [siren("R1")]


@pytest.mark.parametrize(
    "variables",
    [{"region": "99"}, {"region": "27", "period": "2025-13"}, {"region": "27", "f": {"sizeBands": ["x; DROP"]}}],
)
def test_bad_input(api: LiveApi, built: GraphStore, tokens: dict[str, str], variables: dict[str, Any]) -> None:
    assert codes(api.gql(tokens["plain"], LIST, variables)) == ["BAD_USER_INPUT"]


def test_scores_only_with_the_role(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    full = api.gql(tokens["full"], WITH_SCORES, {"region": "27"})
    assert "errors" not in full, full
    items = full["data"]["detectionList"]["items"]
    assert [i["company"]["scores"]["latest"] for i in items] == [{"period": PERIOD, "p12": 0.31, "p24": 0.53}] * 3
    assert items[0]["visibleBlocks"] == ["scores", "urssaf"]

    plain = api.gql(tokens["plain"], WITH_SCORES, {"region": "27"})
    items = plain["data"]["detectionList"]["items"]
    assert [i["company"]["scores"] for i in items] == [None, None, None]
    assert items[0]["company"]["name"] == "Boulangerie Aube"  # identity stays
    assert [i["visibleBlocks"] for i in items] == [[], [], []]
    assert error_paths(plain) == {("detectionList", "items", n, "company", "scores"): "FORBIDDEN" for n in range(3)}


def _audit(store: GraphStore, sub: str, action: str) -> list[dict[str, Any]]:
    return store.read(
        "MATCH (e:AuditEntry {sub: $sub, action: $action}) RETURN e.target AS target, e.outcome AS outcome, "
        "e.in_zone AS in_zone ORDER BY e.at",
        {"sub": sub, "action": action},
    )


def test_reads_and_refusals_are_audited(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    _list(api, tokens["full"], period=PERIOD)
    api.gql(tokens["paris"], LIST, {"region": "27", "period": PERIOD})
    assert {"target": f"detection:27:{PERIOD}", "outcome": "allowed", "in_zone": True} in _audit(
        built, "det-full", "read:detection_list"
    )
    assert {"target": f"detection:27:{PERIOD}", "outcome": "denied", "in_zone": False} in _audit(
        built, "det-paris", "read:detection_list"
    )
    api.gql(tokens["full"], WITH_SCORES, {"region": "27"})
    scored = {r["target"] for r in _audit(built, "det-full", "read:scores") if r["outcome"] == "allowed"}
    assert scored == {f"company:{siren(k)}" for k in ("D1", "D2", "D3")}


def test_pages_hold_while_handling_changes(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    page1 = _list(api, tokens["plain"], first=2)
    handle(built, HOME, "D2", "acknowledged")  # as the alert mutations would, between two pages
    try:
        page2 = _list(api, tokens["plain"], first=2, after=page1["endCursor"])
        assert _sirens(page2) == [siren("D3")]
        counts = {c["value"]: c["count"] for c in page2["countsByStatus"]}
        assert counts == {"acknowledged": 2, "dismissed": 1}
    finally:
        built.write(
            "MATCH (:Agency {code: $home})-[h:HANDLES]->(:Alert {id: $id}) DELETE h",
            {"home": HOME, "id": f"{siren('D2')}:{PERIOD}"},
        )
