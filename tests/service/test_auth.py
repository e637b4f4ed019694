"""Key scopes: each key does only what its scopes allow, and a moderator never reaches admin actions."""

from __future__ import annotations

import pytest

ANALYZE = "/v1alpha1/comments:analyze"
PERSPECTIVE_BODY = {"comment": {"text": "You are wrong about this."}, "requestedAttributes": {"TOXICITY": {}}}
BATCH = {"comments": [{"id": 1, "text": "You are wrong about this."}]}


def _status(client, method: str, path: str, key: str, **kwargs) -> int:
    separator = "&" if "?" in path else "?"
    return client.request(method, f"{path}{separator}key={key}", **kwargs).status_code


@pytest.fixture
def client_and_keys(client_keys):
    return client_keys


def test_an_analyze_key_scores_but_reads_and_decides_nothing(client_and_keys) -> None:
    client, keys = client_and_keys
    site = keys["site"]
    assert _status(client, "POST", ANALYZE, site, json=PERSPECTIVE_BODY) == 200
    assert _status(client, "POST", "/api/v1/analyze", site, json=BATCH) == 200
    refused = client.post(f"/api/v1/analyze?key={site}", json={**BATCH, "store": True})
    assert refused.status_code == 403 and "'ingest' scope" in refused.json()["error"]["message"]
    assert refused.json()["error"]["status"] == "PERMISSION_DENIED"
    for method, path, body in (
        ("GET", "/api/v1/queue", None),
        ("GET", "/api/v1/comments/1", None),
        ("GET", "/api/v1/authors/bob", None),
        ("GET", "/api/v1/stats", None),
        ("POST", "/api/v1/decisions", {"comment_ids": [1], "action": "approve"}),
        ("POST", "/api/v1/threads", {"comments": [{"id": "a", "text": "hello there"}]}),
        ("GET", "/api/v1/audit", None),
    ):
        assert _status(client, method, path, site, json=body) == 403, path


def test_a_moderators_key_moderates_but_is_no_admin(client_and_keys) -> None:
    client, keys = client_and_keys
    mod, admin = keys["mod"], keys["admin"]
    assert _status(client, "GET", "/api/v1/queue", mod) == 200
    assert _status(client, "POST", "/api/v1/analyze", mod, json={**BATCH, "store": True}) == 200
    assert _status(client, "GET", "/api/v1/audit", mod) == 403
    assert _status(client, "GET", "/api/v1/audit", admin) == 200


def test_a_perspective_call_needs_the_analyze_scope(client_and_keys) -> None:
    from threadguard.store.schema import User
    from threadguard.store.users import create_api_key

    client, _keys = client_and_keys
    with client.app.state.runtime.sessions.begin() as session:
        mod = session.query(User).filter_by(username="mod").one()
        desk = create_api_key(session, mod, "desk", scopes=["moderate"])
    refused = client.post(f"{ANALYZE}?key={desk}", json=PERSPECTIVE_BODY)
    assert (
        refused.status_code == 403
        and refused.json()["error"]["details"][0]["errorType"] == "PERMISSION_DENIED"
    )
    assert _status(client, "GET", "/api/v1/queue", desk) == 200
