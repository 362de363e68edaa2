"""tradeExposure through HTTP with real tokens: known shares on the hand-built graph, doctrine per partner."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import LiveApi, codes
from graph import HOME, siren

from graphstore.store import GraphStore

TRADE = """
query T($siren: String!) {
  tradeExposure(siren: $siren) {
    sales { ...Side }
    purchases { ...Side }
  }
}
fragment Side on TradeSide {
  partners amount12m shareInProcedure shareOnAlert shareAtRisk shareUndisclosed amountAtRisk12m
  partnersAtRisk { siren name }
}
"""


def _trade(api: LiveApi, token: str, key: str) -> dict[str, Any]:
    body = api.gql(token, TRADE, {"siren": siren(key)})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["tradeExposure"]
    return result


def _shares(side: dict[str, Any]) -> tuple[float, float, float, float]:
    return side["shareInProcedure"], side["shareOnAlert"], side["shareAtRisk"], side["shareUndisclosed"]


@pytest.fixture(scope="module")
def score_token(api: LiveApi) -> str:
    value: str = api.token("trade-score", agency=HOME, zones=("21",), roles=("score",))
    return value


def test_focus_company(api: LiveApi, built: GraphStore, score_token: str) -> None:
    a = _trade(api, score_token, "A")
    # A sells 60 % to B (latest score high, granted); buys 30 % from C (high, but out of zone: undisclosed)
    assert a["sales"]["partners"] == 1 and a["sales"]["amount12m"] == 1000.0
    assert _shares(a["sales"]) == pytest.approx((0.0, 0.6, 0.6, 0.0))
    assert a["sales"]["amountAtRisk12m"] == 1000.0
    assert a["sales"]["partnersAtRisk"] == [{"siren": siren("B"), "name": "Fromagerie du Comté"}]
    assert _shares(a["purchases"]) == pytest.approx((0.0, 0.0, 0.0, 0.3))
    assert a["purchases"]["partnersAtRisk"] == []


def test_partner_in_procedure_and_levels(api: LiveApi, built: GraphStore, score_token: str) -> None:
    f = _trade(api, score_token, "F")
    # F sells everything to H (in a procedure, never scored) and buys 20 % of its purchases from B (high)
    assert _shares(f["sales"]) == pytest.approx((1.0, 0.0, 1.0, 0.0))
    assert [p["siren"] for p in f["sales"]["partnersAtRisk"]] == [siren("H")]
    assert _shares(f["purchases"]) == pytest.approx((0.0, 0.2, 0.2, 0.0))
    b = _trade(api, score_token, "B")
    # B sells half to F (latest level none: not on alert, although an older score was high); buys 10 % from A
    assert _shares(b["sales"]) == pytest.approx((0.0, 0.0, 0.0, 0.0))
    assert _shares(b["purchases"]) == pytest.approx((0.0, 0.1, 0.1, 0.0))


def test_without_score_role_alerts_are_undisclosed(api: LiveApi, built: GraphStore) -> None:
    token = api.token("trade-noscore", agency=HOME, zones=("21",), roles=("urssaf",))
    a = _trade(api, token, "A")
    assert _shares(a["sales"]) == pytest.approx((0.0, 0.0, 0.0, 0.6))
    assert _shares(a["purchases"]) == pytest.approx((0.0, 0.0, 0.0, 0.3))
    f = _trade(api, token, "F")
    assert _shares(f["sales"]) == pytest.approx((1.0, 0.0, 1.0, 0.0))  # a procedure is public


def test_partner_decisions_are_audited(api: LiveApi, built: GraphStore, score_token: str) -> None:
    response = api.post(score_token, TRADE, {"siren": siren("A")})
    rows = built.read(
        "MATCH (a:AuditEntry {request_id: $r, action: 'read:scores'}) RETURN a.target AS t, a.outcome AS o",
        {"r": response.headers["X-Request-Id"]},
    )
    assert sorted((r["t"], r["o"]) for r in rows) == [
        (f"company:{siren('B')}", "allowed"),
        (f"company:{siren('C')}", "denied"),
    ]


def test_unknown_and_bad_siren(api: LiveApi, built: GraphStore, score_token: str) -> None:
    body = api.gql(score_token, TRADE, {"siren": "999999999"})
    assert body["data"]["tradeExposure"]["sales"]["partners"] == 0
    assert codes(api.gql(score_token, TRADE, {"siren": "12"})) == ["BAD_USER_INPUT"]


ON_PAGE = """
query C($siren: String!) {
  company(siren: $siren) {
    tradeExposure { sales { shareOnAlert } purchases { shareUndisclosed } }
    owners { company { siren } }
    group { members { siren tradeExposure { sales { partners shareOnAlert } purchases { partners } } } }
  }
}
"""


def test_on_the_company_page(api: LiveApi, built: GraphStore, score_token: str) -> None:
    body = api.gql(score_token, ON_PAGE, {"siren": siren("A")})
    assert "errors" not in body, body
    page = body["data"]["company"]
    assert page["tradeExposure"]["sales"]["shareOnAlert"] == pytest.approx(0.6)
    assert page["tradeExposure"]["purchases"]["shareUndisclosed"] == pytest.approx(0.3)
    members = {m["siren"]: m["tradeExposure"] for m in page["group"]["members"]}
    assert members[siren("A")]["sales"] == {"partners": 1, "shareOnAlert": pytest.approx(0.6)}
    assert members[siren("G")] == {"sales": {"partners": 0, "shareOnAlert": 0.0}, "purchases": {"partners": 0}}
