from __future__ import annotations

import httpx

from graph_api.auth import testing as auth_testing
from graphstore.store import GraphStore


def test_agent_token_reaches_protected_endpoint(live_auth, store: GraphStore) -> None:
    token = auth_testing.agent_token(
        live_auth.base_url, store, "alice", agency="URSSAF-BFC", zones=("BFC",), roles=("urssaf", "bogus")
    )
    r = httpx.get(live_auth.base_url + "/whoami", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sub"] == "alice"
    assert body["roles"] == ["urssaf"]
    assert "21" in body["zones"] and "75" not in body["zones"]
