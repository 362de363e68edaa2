"""The audit trail: auditor-only, paginated, filtered, append-only, mutations audited."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from api_support import LiveApi, codes

from graphstore.store import GraphStore

LOG = """
query Log($first: Int, $after: String, $filter: AuditFilterInput) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { id at sub agency clientId action target inZone requestId outcome basis }
  }
}
"""


def _seed_reads(api: LiveApi, store: GraphStore) -> str:
    store.write(
        "CREATE (c:Company {siren: '400000001', name: 'Suivie', departement: '75'}) "
        "MERGE (a:Agency {code: 'AUD-HOME'}) CREATE (a)-[:FOLLOWS]->(c) "
        "CREATE (:Score {id: 's1', siren: '400000001', period: '2025-02', p12: 0.1})-[:FOR]->(c)"
    )
    reader = api.token("reader", agency="AUD-HOME", zones=("21",), roles=("score",))
    for _ in range(3):
        body = api.gql(
            reader, '{ company(siren: "400000001") { scores { latest { p12 } } urssaf { debts { total } } } }'
        )
        assert body["data"]["company"]["scores"]["latest"]["p12"] == 0.1
        assert codes(body) == ["FORBIDDEN"]  # urssaf: no role
    return reader


def test_only_auditors_read_the_log(api: LiveApi, store: GraphStore) -> None:
    reader = _seed_reads(api, store)
    refused = api.gql(reader, LOG, {"first": 5})
    assert refused["data"] is None
    assert codes(refused) == ["FORBIDDEN"]


def test_auditor_pages_through_filtered_entries(api: LiveApi, store: GraphStore) -> None:
    _seed_reads(api, store)
    auditor = api.token("auditor", agency="CNIL", roles=("auditor",))
    flt = {"sub": "reader", "target": "company:400000001", "action": "read:scores"}
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        body = api.gql(auditor, LOG, {"first": 2, "after": after, "filter": flt})
        assert "errors" not in body, body
        page = body["data"]["auditLog"]
        assert page["totalCount"] == 3
        seen.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 3 and len({e["id"] for e in seen}) == 3
    assert [e["at"] for e in seen] == sorted((e["at"] for e in seen), reverse=True)
    for e in seen:
        assert e["sub"] == "reader"
        assert e["agency"] == "AUD-HOME"
        assert e["clientId"] == "signaux-test-web"
        assert e["inZone"] is False
        assert e["outcome"] == "ALLOWED"
        assert e["basis"] == "follow"
    denied = api.gql(auditor, LOG, {"first": 10, "filter": {"sub": "reader", "outcome": "DENIED"}})
    assert {e["action"] for e in denied["data"]["auditLog"]["nodes"]} == {"read:urssaf"}
    assert denied["data"]["auditLog"]["totalCount"] == 3
    # Reading the log is itself on the log.
    reads = api.gql(auditor, LOG, {"first": 10, "filter": {"sub": "auditor", "action": "read:audit"}})
    assert reads["data"]["auditLog"]["totalCount"] >= 4


def test_bad_cursor_is_bad_input(api: LiveApi, store: GraphStore) -> None:
    auditor = api.token("auditor", agency="CNIL", roles=("auditor",))
    body = api.gql(auditor, LOG, {"first": 2, "after": "not-a-cursor"})
    assert codes(body) == ["BAD_USER_INPUT"]


def test_mutations_are_audited_in_the_same_transaction(api: LiveApi, store: GraphStore) -> None:
    token = api.token("writer", agency="AUD-HOME", zones=("21",), roles=())
    body = api.gql(token, 'mutation { updateMyProfile(email: "writer@example.fr") { sub email updates requestId } }')
    profile = body["data"]["updateMyProfile"]
    assert profile["email"] == "writer@example.fr"
    rows = store.read(
        "MATCH (a:AuditEntry {request_id: $r}) RETURN a.action AS action, a.target AS target, a.sub AS sub, "
        "a.client_id AS client_id, a.outcome AS outcome",
        {"r": profile["requestId"]},
    )
    assert rows == [
        {
            "action": "mutation:updateMyProfile",
            "target": "agent:writer",
            "sub": "writer",
            "client_id": "signaux-test-web",
            "outcome": "allowed",
        }
    ]
    assert store.read("MATCH (a:Agent {sub: 'writer'})-[:WORKS_FOR]->(g:Agency) RETURN g.code AS c") == [
        {"c": "AUD-HOME"}
    ]
    # A refused mutation (bad input) changes nothing and writes no entry.
    bad = api.post(token, 'mutation { updateMyProfile(email: "nope") { sub } }')
    assert codes(bad.json()) == ["BAD_USER_INPUT"]
    assert store.read("MATCH (a:AuditEntry {request_id: $r}) RETURN a", {"r": bad.headers["x-request-id"]}) == []


def test_no_mutation_can_touch_the_audit_trail(api: LiveApi, store: GraphStore) -> None:
    token = api.token("introspector", roles=("auditor",))
    body = api.gql(token, '{ __type(name: "Mutation") { fields { name args { name } } } }')
    names = [f["name"] for f in body["data"]["__type"]["fields"]]
    assert "updateMyProfile" in names and len(names) > 1
    assert not any("audit" in n.lower() for n in names)
    # Whatever the mutations, the only Cypher naming the trail is the audit
    # package's, and it only creates and reads entries.
    writers = _cypher_naming_audit_entries()
    assert writers and {path.parent.name for path, _ in writers} == {"audit"}
    for path, text in writers:
        assert not re.search(r"\b(DELETE|REMOVE|MERGE|DETACH)\b", text), path
        assert not re.search(r"\bSET\b", text) or "CREATE (a:AuditEntry)" in text, path


def _cypher_naming_audit_entries() -> list[tuple[Path, str]]:
    """Every string literal of the API, the loaders and scoring that names ``:AuditEntry``."""
    root = Path(__file__).resolve().parents[2]
    found: list[tuple[Path, str]] = []
    for package in ("graph_api", "loaders", "scoring", "gnn", "graphstore"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and ":AuditEntry" in node.value:
                    found.append((path, node.value))
    return found


def test_mutations_need_the_write_scope(api: LiveApi, store: GraphStore) -> None:
    token = api.token("read-only", agency="AUD-HOME", scope="openid signaux")
    r = api.post(token, 'mutation { updateMyProfile(email: "ro@example.fr") { sub } }')
    assert codes(r.json()) == ["FORBIDDEN"]
    assert store.read("MATCH (a:Agent {sub: 'read-only'}) RETURN a.email AS e") in ([], [{"e": None}])
    # the attempt is on the trail, as denied, and nothing else
    entries = store.read(
        "MATCH (a:AuditEntry {request_id: $r}) RETURN a.action AS action, a.outcome AS outcome",
        {"r": r.headers["x-request-id"]},
    )
    assert entries == [{"action": "mutation:updateMyProfile", "outcome": "denied"}]
