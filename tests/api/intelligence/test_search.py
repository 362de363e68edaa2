"""searchCompanies through HTTP with real tokens, on the hand-built graph."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes
from graph import HOME, siren

from graphstore.store import GraphStore

SEARCH = """
query S($q: String!, $f: SearchFilters, $first: Int, $after: String) {
  searchCompanies(query: $q, filters: $f, first: $first, after: $after) {
    totalCount endCursor hasNextPage
    edges { cursor score node { siren name departement naf headcountBand } }
  }
}
"""


@pytest.fixture(scope="module")
def token(api: LiveApi) -> str:
    value: str = api.token("search-agent", agency=HOME, zones=("21",), roles=())
    return value


def _search(api: LiveApi, token: str, q: str, **variables: Any) -> dict[str, Any]:
    body = api.gql(token, SEARCH, {"q": q, **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["searchCompanies"]
    return result


def _sirens(result: dict[str, Any]) -> list[str]:
    return [e["node"]["siren"] for e in result["edges"]]


@pytest.mark.parametrize("text", ["eclair", "ÉCLAIR", "Éclair", "boulangerie ecl", "BOULANGERIE ÉCL", "  Eclair  "])
def test_accent_insensitive_name(api: LiveApi, built: GraphStore, token: str, text: str) -> None:
    result = _search(api, token, text)
    assert _sirens(result) == [siren("A")]
    assert result["totalCount"] == 1
    assert result["edges"][0]["node"]["name"] == "Boulangerie Éclair"


def test_accents_in_index_folded(api: LiveApi, built: GraphStore, token: str) -> None:
    assert _sirens(_search(api, token, "epicerie")) == [siren("E")]
    assert _sirens(_search(api, token, "hotel terminus")) == [siren("H")]


@pytest.mark.parametrize("text", ["Éclair (", 'eclair" OR *', "name:eclair~", "\\", "AND OR NOT", "[a TO z]"])
def test_lucene_syntax_is_escaped(api: LiveApi, built: GraphStore, token: str, text: str) -> None:
    body = api.gql(token, SEARCH, {"q": text})
    assert "errors" not in body, body


def test_siren_and_siret(api: LiveApi, built: GraphStore, token: str) -> None:
    assert _sirens(_search(api, token, siren("C"))) == [siren("C")]  # out of zone: public identity
    assert _sirens(_search(api, token, siren("B") + "00011")) == [siren("B")]
    assert _search(api, token, "999999999")["totalCount"] == 0


def test_filters(api: LiveApi, built: GraphStore, token: str) -> None:
    assert _sirens(_search(api, token, "", f={"departements": ["75"]})) == [siren("C")]
    assert sorted(_sirens(_search(api, token, "", f={"nafPrefix": "10.7"}))) == [siren(k) for k in "ABD"]
    assert sorted(_sirens(_search(api, token, "", f={"sizeBands": ["11"]}))) == [siren(k) for k in "AB"]
    assert _sirens(_search(api, token, "", f={"inProcedure": True})) == [siren("H")]
    assert _sirens(_search(api, token, "", f={"followedByMyAgency": True})) == [siren("F")]
    assert _search(api, token, "", f={"followedByMyAgency": False})["totalCount"] == 8
    assert _sirens(_search(api, token, "eclair", f={"departements": ["75"]})) == []


def test_followed_is_per_agency(api: LiveApi, built: GraphStore) -> None:
    other = api.token("search-other", agency="DREETS-75", zones=("75",))
    assert _search(api, other, "", f={"followedByMyAgency": True})["totalCount"] == 0


def test_pagination(api: LiveApi, built: GraphStore, token: str) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = _search(api, token, "", f={"departements": ["21"]}, first=3, after=after)
        assert page["totalCount"] == 8
        seen += _sirens(page)
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert seen == sorted(c for c in seen)
    assert len(seen) == len(set(seen)) == 8


def test_bad_input(api: LiveApi, built: GraphStore, token: str) -> None:
    assert codes(api.gql(token, SEARCH, {"q": "x", "first": 0})) == ["BAD_USER_INPUT"]
    assert codes(api.gql(token, SEARCH, {"q": "x", "first": 10_000})) == ["BAD_USER_INPUT"]
    assert codes(api.gql(token, SEARCH, {"q": "x", "after": "nope"})) == ["BAD_USER_INPUT"]
    assert codes(api.gql(token, SEARCH, {"q": "x" * 500})) == ["BAD_USER_INPUT"]


def test_needs_a_token(api: LiveApi, built: GraphStore) -> None:
    assert api.post(None, SEARCH, {"q": "eclair"}).status_code == 401
