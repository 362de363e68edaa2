"""The company page through HTTP with real tokens: structure, scores, data blocks, doctrine edge cases."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import error_paths
from company_world import SMALL_MEMBER, UNKNOWN, H, P, X
from page_queries import AGENCY, ALL_ROLES, PAGE
from page_support import PageApi


def _page(page_api: PageApi, roles: tuple[str, ...], siren: str = P) -> tuple[dict[str, Any], str]:
    api = page_api.api
    token = api.token(f"page-{'-'.join(roles) or 'none'}", agency=AGENCY, zones=("21",), roles=roles)
    response = api.post(token, PAGE, {"siren": siren})
    assert response.status_code == 200, response.text
    return response.json(), response.headers["X-Request-Id"]


def test_structure(page_api: PageApi) -> None:
    body, _ = _page(page_api, ALL_ROLES)
    assert "errors" not in body, body
    c = body["data"]["company"]
    assert (c["name"], c["departement"], c["headOfficeSiret"]) == ("Parent Éclair SA", "21", P + "00011")
    assert (c["inProcedure"], c["procedures"]) == (False, [])
    # X, its only client, is out of zone: its alert level is not disclosed, nor is it in a procedure
    assert c["tradeExposure"]["sales"] == {"partners": 1, "shareAtRisk": 0.0}
    assert c["visibleBlocks"] == ["bdf", "scores", "short_time_work", "urssaf"]
    assert [(e["siret"], e["headOffice"], e["active"]) for e in c["establishments"]] == [
        (P + "00011", True, True),
        (P + "00021", False, True),
        (P + "00031", False, False),
    ]
    assert c["headOffice"] == {"siret": P + "00011", "headOffice": True, "active": True}
    group = c["group"]
    assert (group["id"], group["name"], group["referenceDate"], group["memberCount"]) == (
        P, "Groupe Petit", "2024-12-31", 2,
    )  # fmt: skip
    assert group["head"] == {"siren": P, "name": "Parent Éclair SA"}
    assert [m["siren"] for m in group["members"]] == [P, SMALL_MEMBER]
    owners = [(o["kind"], o["percentage"], o["nature"], o["since"], o["until"], o["current"]) for o in c["owners"]]
    assert owners == [
        ("COMPANY", 40.0, "directe", "2018-01-01", None, True),
        ("PERSON", 60.0, "directe", "2015-03-01", None, True),
        ("PERSON", 20.0, "indirecte", "2010-01-01", "2019-06-30", False),
    ]
    assert c["owners"][0]["company"] == {"siren": H, "name": "Holding de Paris"}
    assert c["owners"][1]["person"] == {"lastName": "Dupont", "firstNames": "Jean"}
    assert c["owners"][1]["company"] is None and c["owners"][0]["person"] is None
    assert [(d["kind"], d["role"], d["since"]) for d in c["directors"]] == [
        ("COMPANY", "directeur général", "2018-01-01"),
        ("PERSON", "président", "2015-03-01"),
    ]


def test_scores_and_explanation(page_api: PageApi) -> None:
    body, _ = _page(page_api, ALL_ROLES)
    scores = body["data"]["company"]["scores"]
    latest = scores["latest"]
    assert (latest["period"], latest["p12"], latest["p18"], latest["p24"]) == ("2025-05", 0.31, 0.42, 0.5)
    assert (latest["modelVersion"], latest["alert"]) == ("m-2025-04", "high")
    assert [(s["period"], s["modelVersion"]) for s in scores["history"]] == [
        ("2025-05", "m-2025-04"),
        ("2025-04", "m-2025-03"),
    ]
    assert [(g["group"], g["contribution"]) for g in latest["explanationGroups"]] == [
        ("urssaf_debt", 0.8), ("headcount", -0.5), ("supplier_contagion", 0.3), ("other", 0.01),
    ]  # fmt: skip
    assert latest["topFeatures"][0] == {"feature": "debt_ratio", "contribution": 0.7}
    contagion = [(p["group"], p["siren"], p["weight"], p["judgment"]) for p in latest["contagion"]]
    assert contagion == [("group", SMALL_MEMBER, 1.0, None), ("supplier_contagion", X, 0.4, "2025-01")]
    # the failed supplier is out of zone: public identity only (the type has no data block at all)
    assert latest["contagion"][1]["company"] == {"siren": X, "name": "Fournisseur Défaillant", "departement": "75"}


def test_data_blocks(page_api: PageApi) -> None:
    body, rid = _page(page_api, ALL_ROLES)
    c = body["data"]["company"]
    assert c["urssaf"]["debts"] == [
        {"month": "2025-02-01", "total": 1000.0, "employeeShare": 400.0, "employerShare": 600.0}
    ]
    assert c["urssaf"]["contributions"] == [{"periodStart": "2025-01-01", "months": 1, "due": 500.0, "paid": 300.0}]
    assert c["headcount"]["months"] == [
        {"month": "2025-01-01", "headcount": 29.0},
        {"month": "2025-02-01", "headcount": 28.0},
        {"month": "2025-03-01", "headcount": 27.0},
    ]
    stw = c["shortTimeWork"]["months"]
    assert [(m["month"], m["hoursUsed"], m["amountUsed"]) for m in stw] == [("2025-01-01", 151.67, 1500.0)]
    assert stw[0]["fteUsed"] == pytest.approx(1.0)
    assert c["bdf"]["ratios"] == [{"year": 2024, "closedOn": "2024-12-31", "tauxMarge": 7.5}]
    # one audit entry per (block, company) and request, although urssaf and headcount both read the URSSAF block
    rows = page_api.store.read(
        "MATCH (a:AuditEntry {request_id: $r, target: $t}) RETURN a.action AS action, a.outcome AS o, a.basis AS b",
        {"r": rid, "t": f"company:{P}"},
    )
    assert sorted((r["action"], r["o"], r["b"]) for r in rows) == [
        ("read:bdf", "allowed", "zone_detection"),
        ("read:scores", "allowed", "zone_detection"),
        ("read:short_time_work", "allowed", "zone_detection"),
        ("read:urssaf", "allowed", "zone_detection"),
    ]


def test_block_without_role_is_refused(page_api: PageApi) -> None:
    body, rid = _page(page_api, ("score",))
    c = body["data"]["company"]
    assert c["scores"]["latest"]["p12"] == 0.31
    assert c["name"] == "Parent Éclair SA" and len(c["establishments"]) == 3
    for block in ("urssaf", "headcount", "shortTimeWork", "bdf"):
        assert c[block] is None
    assert error_paths(body) == {
        ("company", "urssaf"): "FORBIDDEN",
        ("company", "headcount"): "FORBIDDEN",
        ("company", "shortTimeWork"): "FORBIDDEN",
        ("company", "bdf"): "FORBIDDEN",
    }
    assert {e["message"] for e in body["errors"]} == {"Not allowed."}
    rows = page_api.store.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:urssaf'}) RETURN a.outcome AS o, a.in_zone AS z",
        {"r": rid},
    )
    assert [(r["o"], r["z"]) for r in rows] == [("denied", True)]


OWNER_BLOCKS = """
query O($siren: String!) {
  company(siren: $siren) { owners { company { siren name urssaf { debts { total } } scores { latest { p12 } } } } }
}
"""

UNKNOWN_BLOCKS = """
query U($siren: String!) {
  companyData(siren: $siren) { urssaf { debts { total } } headcount { months { headcount } } scores { latest { p12 } } }
}
"""


def test_out_of_zone_owner_appears_by_public_identity_only(page_api: PageApi) -> None:
    api = page_api.api
    token = api.token("page-urssaf-dgefp-bdf-score", agency=AGENCY, zones=("21",), roles=ALL_ROLES)
    body = api.gql(token, OWNER_BLOCKS, {"siren": P})
    holding = body["data"]["company"]["owners"][0]["company"]
    assert holding == {"siren": H, "name": "Holding de Paris", "urssaf": None, "scores": None}
    assert error_paths(body) == {
        ("company", "owners", 0, "company", "urssaf"): "FORBIDDEN",
        ("company", "owners", 0, "company", "scores"): "FORBIDDEN",
    }
    # exactly the answer an unknown SIREN gets
    unknown = api.gql(token, UNKNOWN_BLOCKS, {"siren": UNKNOWN})
    assert unknown["data"]["companyData"] == {"urssaf": None, "headcount": None, "scores": None}
    assert sorted(e["extensions"]["code"] for e in unknown["errors"]) == ["FORBIDDEN"] * 3
    refused = api.gql(token, UNKNOWN_BLOCKS, {"siren": H})
    assert refused["data"] == unknown["data"]
    assert sorted(refused["errors"], key=str) == sorted(unknown["errors"], key=str)
    assert api.gql(token, PAGE, {"siren": UNKNOWN})["data"]["company"] is None


STATUS = """
query S($siren: String!) { company(siren: $siren) { inProcedure procedures { kind stage judgmentDate nature } visibleBlocks } }
"""


def test_status_and_visible_blocks(page_api: PageApi) -> None:
    api = page_api.api
    full = api.token("page-urssaf-dgefp-bdf-score", agency=AGENCY, zones=("21",), roles=ALL_ROLES)
    member = api.gql(full, STATUS, {"siren": SMALL_MEMBER})["data"]["company"]
    assert member["inProcedure"] is True
    assert member["procedures"] == [
        {"kind": "redressement", "stage": "ouverture", "judgmentDate": "2025-03-15", "nature": "Jugement d'ouverture"}
    ]
    assert api.gql(full, STATUS, {"siren": H})["data"]["company"]["visibleBlocks"] == []  # out of zone
    score_only = api.token("page-score", agency=AGENCY, zones=("21",), roles=("score",))
    assert api.gql(score_only, STATUS, {"siren": P})["data"]["company"]["visibleBlocks"] == ["scores"]


FILTERED = """
query F($siren: String!) {
  company(siren: $siren) {
    establishments(activeOnly: true) { siret }
    owners(currentOnly: true) { percentage }
    directors(currentOnly: true) { role }
  }
}
"""


def test_current_and_active_only(page_api: PageApi) -> None:
    api = page_api.api
    token = api.token("page-none", agency=AGENCY, zones=("21",), roles=())
    c = api.gql(token, FILTERED, {"siren": P})["data"]["company"]
    assert [e["siret"] for e in c["establishments"]] == [P + "00011", P + "00021"]
    assert [o["percentage"] for o in c["owners"]] == [40.0, 60.0]  # the ended 20 % is left out
    assert [d["role"] for d in c["directors"]] == ["directeur général", "président"]
