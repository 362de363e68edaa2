from api_support import LiveApi


def test_me_and_401(api: LiveApi, store) -> None:
    r = api.post(None, "{ me { sub } }")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    tok = api.token("alice", roles=("urssaf",))
    body = api.gql(tok, "{ me { sub agency zones roles } }")
    assert body["data"]["me"]["sub"] == "alice", body
