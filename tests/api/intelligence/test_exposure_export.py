"""``GET /exports/related/{siren}.svg``: the related companies drawn, over HTTP with real tokens, on the hand-built
graph (the same page as ``relatedCompanies``, the same doctrine, audited)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import httpx
from api_support import LiveApi
from graph import HOME, siren

from graphstore.store import GraphStore

RELATED = """
query R($siren: String!, $hops: Int!) {
  relatedCompanies(siren: $siren, maxHops: $hops) { totalCount items { company { siren name } partnerP12 } }
}
"""


def _get(api: LiveApi, token: str | None, company: str, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response: httpx.Response = api.http.get(
        f"{api.base_url}/exports/related/{company}.svg", params=params, headers=headers
    )
    return response


def _texts(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-store"
    root = ET.fromstring(response.content)
    return "\n".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())


def test_the_drawing_shows_the_graphql_page(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    answer = api.gql(token, RELATED, {"siren": siren("A"), "hops": 2})["data"]["relatedCompanies"]
    texts = _texts(_get(api, token, siren("A"), hops=2))
    assert f"of {answer['totalCount']} related companies within 2 hops" in texts
    for item in answer["items"]:
        assert item["company"]["siren"] in texts
        p12 = item["partnerP12"]
        if p12 is not None:
            assert f"p12 {100 * p12:.1f} %" in texts
    # a partner whose score block the doctrine refuses is drawn without it
    shown = [i for i in answer["items"] if i["partnerP12"] is not None]
    refused = [i for i in answer["items"] if i["partnerP12"] is None]
    assert shown and refused
    assert len(re.findall(r"^p12 [0-9.]+ %$", texts, re.MULTILINE)) == len(shown)


def test_the_export_and_the_scores_drawn_are_audited(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    response = _get(api, token, siren("A"), hops=1)
    assert response.status_code == 200
    rows = built.read(
        "MATCH (a:AuditEntry {request_id: $r}) RETURN a.action AS action, a.target AS t, a.outcome AS o",
        {"r": response.headers["X-Request-Id"]},
    )
    entries = {(r["action"], r["t"]): r["o"] for r in rows}
    assert entries[("export:related_companies", f"company:{siren('A')}")] == "allowed"
    assert entries[("read:scores", f"company:{siren('B')}")] == "allowed"
    assert entries[("read:scores", f"company:{siren('C')}")] == "denied"


def test_bad_requests(api: LiveApi, built: GraphStore) -> None:
    token = api.token("exp-full", agency=HOME, zones=("21",), roles=("score",))
    assert _get(api, None, siren("A")).status_code == 401
    for params, argument in [({"hops": 4}, "hops"), ({"hops": "two"}, "hops"), ({"first": 10_000}, "first")]:
        response = _get(api, token, siren("A"), **params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["errors"][0]["extensions"]["argument"] == argument
    response = _get(api, token, "12345")
    assert response.status_code == 400
