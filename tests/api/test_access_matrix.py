"""The access doctrine through HTTP with real tokens: every data block × role
present or absent × in or out of zone × on a detection list or not × followed ×
intervention, each decision audited."""

from __future__ import annotations

from typing import Any

import pytest
import world
from api_support import LiveApi, error_paths

from graphstore.settings import StoreSettings
from graphstore.store import GraphStore

ALL_ROLES = ("urssaf", "dgefp", "bdf", "score")
AGENTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # name: (agency, zones, roles)
    "full": (world.HOME, ("21",), ALL_ROLES),
    "partial": (world.HOME, ("21",), ("urssaf", "score")),
    "none": (world.HOME, ("21",), ()),
    "other": (world.OTHER, ("75",), ALL_ROLES),
}
BLOCK_FIELD_ROLE = {"urssaf": "urssaf", "shortTimeWork": "dgefp", "bdf": "bdf", "scores": "score"}
BLOCK_ACTION = {
    "urssaf": "read:urssaf",
    "shortTimeWork": "read:short_time_work",
    "bdf": "read:bdf",
    "scores": "read:scores",
}

# The basis each agency has on each company, written out by hand (not computed
# with the code under test).
EXPECTED_BASIS: dict[str, dict[str, str | None]] = {
    world.HOME: {
        "zone_listed": "zone_detection",
        "zone_not_listed": None,
        "out_listed": None,
        "out_followed": "follow",
        "out_followed_by_other": None,
        "out_follow_ended": None,
        "out_intervention": "intervention",
        "out_intervention_left": None,
        "out_intervention_closed": None,
        "zone_intervention_other": None,
    },
    world.OTHER: {
        "zone_listed": None,
        "zone_not_listed": None,
        "out_listed": "zone_detection",
        "out_followed": None,
        "out_followed_by_other": "zone_detection",
        "out_follow_ended": None,
        "out_intervention": None,
        "out_intervention_left": None,
        "out_intervention_closed": None,
        "zone_intervention_other": "intervention",
    },
}

QUERY = """
query Page($siren: String!) {
  company(siren: $siren) {
    siren name departement
    urssaf { debts { month total employeeShare employerShare } contributions { periodStart due paid } }
    shortTimeWork { months { month hoursUsed amountUsed fteUsed hoursAuthorised } }
    bdf { ratios { closedOn tauxMarge } }
    scores { latest { period p12 p18 p24 modelVersion explanation } history { period } }
  }
}
"""


@pytest.fixture(scope="module")
def world_built(neo4j_settings: StoreSettings, api: LiveApi) -> GraphStore:
    store = GraphStore()
    store.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    world.build(store, neo4j_settings)
    return store


def _audit(store: GraphStore, request_id: str) -> dict[str, dict[str, Any]]:
    rows = store.read("MATCH (a:AuditEntry {request_id: $r}) RETURN a", {"r": request_id})
    return {r["a"]["action"]: dict(r["a"]) for r in rows}


def _check_block(field: str, block: dict[str, Any]) -> None:
    if field == "urssaf":
        assert block["contributions"] == [{"periodStart": "2025-01-01", "due": 500.0, "paid": 300.0}]
        assert any(d["total"] == pytest.approx(1000.0) for d in block["debts"]), block["debts"]
    elif field == "shortTimeWork":
        assert [m["hoursUsed"] for m in block["months"] if m["month"] == "2025-01-01"] == [70.0]
    elif field == "bdf":
        assert block["ratios"] == [{"closedOn": "2023-12-31", "tauxMarge": 12.5}]
    else:
        assert block["latest"]["p12"] == 0.42
        assert block["latest"]["modelVersion"] == "v-test"
        assert block["latest"]["explanation"] == {"debt": 0.3}
        assert [h["period"] for h in block["history"]] == ["2025-01"]


@pytest.mark.parametrize("agent", list(AGENTS))
@pytest.mark.parametrize("case", list(world.CASES))
def test_matrix(api: LiveApi, world_built: GraphStore, agent: str, case: str) -> None:
    agency, zones, roles = AGENTS[agent]
    token = api.token(f"agent-{agent}", agency=agency, zones=zones, roles=roles)
    c = world.CASES[case]
    response = api.post(token, QUERY, {"siren": c.siren})
    assert response.status_code == 200
    body = response.json()
    company = body["data"]["company"]
    # Public identity: always visible.
    assert company["name"] == f"Société {case}"
    assert company["departement"] == c.departement
    basis = EXPECTED_BASIS[agency][case]
    errors = error_paths(body)
    audit = _audit(world_built, response.headers["x-request-id"])
    in_zone = c.departement in zones
    for field, role in BLOCK_FIELD_ROLE.items():
        allowed = basis is not None and role in roles
        entry = audit[BLOCK_ACTION[field]]
        assert entry["sub"] == f"agent-{agent}"
        assert entry["agency"] == agency
        assert entry["client_id"] == "signaux-test-web"
        assert entry["target"] == f"company:{c.siren}"
        assert entry["in_zone"] is in_zone
        if allowed:
            assert ("company", field) not in errors
            _check_block(field, company[field])
            assert entry["outcome"] == "allowed"
            assert entry["basis"] == basis
        else:
            assert company[field] is None
            assert errors[("company", field)] == "FORBIDDEN"
            assert entry["outcome"] == "denied"
            assert entry.get("basis") is None
    assert len(audit) == 4  # one entry per block, nothing else


def test_forbidden_looks_like_unknown(api: LiveApi, world_built: GraphStore) -> None:
    agency, zones, roles = AGENTS["full"]
    token = api.token("agent-full", agency=agency, zones=zones, roles=roles)
    query = (
        "query D($s: String!) { companyData(siren: $s) { siren urssaf { debts { total } } scores { latest { p12 } } } }"
    )
    refused = api.gql(token, query, {"s": world.CASES["zone_not_listed"].siren})
    unknown = api.gql(token, query, {"s": "999999999"})
    allowed = api.gql(token, query, {"s": world.CASES["zone_listed"].siren})
    assert "errors" not in allowed and allowed["data"]["companyData"]["scores"]["latest"]["p12"] == 0.42
    for body in (refused, unknown):
        body["data"]["companyData"]["siren"] = "<siren>"
        body["errors"].sort(key=lambda e: e["path"])  # resolvers finish in any order
    assert refused == unknown
    assert [e["message"] for e in refused["errors"]] == ["Not allowed.", "Not allowed."]


def test_unknown_company_identity_is_null(api: LiveApi, world_built: GraphStore) -> None:
    token = api.token("agent-none", agency=world.HOME, zones=("21",), roles=())
    body = api.gql(token, '{ company(siren: "999999998") { name } }')
    assert body == {"data": {"company": None}}


def test_blocks_are_batched_over_many_companies(api: LiveApi, world_built: GraphStore) -> None:
    # Aliased lookups of many companies in one operation: one decision and one
    # audit entry per (block, company), the same answers as one by one.
    agency, zones, roles = AGENTS["full"]
    token = api.token("agent-full", agency=agency, zones=zones, roles=roles)
    names = list(world.CASES)[:8]
    parts = [
        f'c{i}: company(siren: "{world.CASES[n].siren}") {{ siren scores {{ latest {{ p12 }} }} }}'
        for i, n in enumerate(names)
    ]
    response = api.post(token, "{ " + " ".join(parts) + " }")
    body = response.json()
    for i, n in enumerate(names):
        visible = EXPECTED_BASIS[world.HOME][n] is not None
        got = body["data"][f"c{i}"]["scores"]
        assert (got is not None) is visible, n
    rows = world_built.read(
        "MATCH (a:AuditEntry {request_id: $r}) RETURN a.action AS action, count(*) AS n",
        {"r": response.headers["x-request-id"]},
    )
    assert rows == [{"action": "read:scores", "n": 8}]


def test_invalid_siren_is_bad_input(api: LiveApi, world_built: GraphStore) -> None:
    token = api.token("agent-none", agency=world.HOME, zones=("21",), roles=())
    body = api.gql(token, '{ company(siren: "12AB") { name } }')
    assert body["data"] is None or body["data"]["company"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
