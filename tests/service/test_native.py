"""The native API on SQLite and PostgreSQL: ingest, queue, decisions, history, stats, audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ingest.helpers import comment_lines, gzip_with_bad_checksum


def _ingest(
    client: TestClient, key: str, texts: dict[str, Any], community: str = "default"
) -> dict[str, Any]:
    export = "".join(json.dumps(line) + "\n" for line in texts["thread"]).encode()
    response = client.post(
        f"/api/v1/ingest?key={key}",
        files={"file": ("comments.jsonl", export, "application/x-ndjson")},
        data={"format": "jsonl", "community": community},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_ingest_an_export_twice_stores_each_comment_once(client_keys, texts) -> None:
    client, keys = client_keys
    first = _ingest(client, keys["mod"], texts)
    assert (first["threads"], first["comments_new"], first["comments_existing"]) == (1, 4, 0)
    assert first["report"]["format"] == "jsonl" and first["report"]["comments_read"] == 4
    again = _ingest(client, keys["mod"], texts)
    assert (again["comments_new"], again["comments_existing"]) == (0, 4)
    everything = client.get(
        f"/api/v1/queue?key={keys['mod']}&status=pending&status=approved&status=rejected&status=escalated"
    ).json()["comments"]
    assert sorted(c["external_id"] for c in everything) == ["c1", "c2", "c3", "c4"]


def test_ingest_of_a_gzip_with_a_crc_error_stores_the_rows_before_it(client_keys) -> None:
    client, keys = client_keys
    export = gzip_with_bad_checksum([comment_lines(40), comment_lines(40, 40), comment_lines(40, 80)], bad=1)
    response = client.post(f"/api/v1/ingest?key={keys['mod']}", files={"file": ("export.jsonl.gz", export)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["comments_new"] == 80 and body["report"]["warnings"] == {"corrupt_gzip": 1}
    assert body["report"]["damage"]["reason"] == "corrupt_gzip" and body["report"]["damage"]["offset"] > 0


@pytest.mark.parametrize(
    "data",
    [b"\x1f\x8b" + bytes(range(256)) * 4, b"\x1f\x8b", b"\x1f\x8b\x08\x00" + b"\xff" * 64],
    ids=["gzip magic then junk", "gzip magic only", "a broken gzip header"],
)
@pytest.mark.parametrize("format", ["auto", "jsonl"])
def test_ingest_of_a_file_named_gz_that_is_not_gzip_is_a_clear_400(sqlite_client, data, format) -> None:
    client, key = sqlite_client
    response = client.post(
        f"/api/v1/ingest?key={key}", files={"file": ("x.jsonl.gz", data)}, data={"format": format}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and "not a readable gzip file" in error["message"]


def test_queue_is_riskiest_first_with_filters(client_keys, texts) -> None:
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    key = keys["mod"]
    every = "status=pending&status=approved&status=rejected"
    rows = client.get(f"/api/v1/queue?key={key}&{every}").json()["comments"]
    assert [r["risk"] for r in rows] == sorted((r["risk"] for r in rows), reverse=True)
    by_external = {r["external_id"]: r for r in rows}
    assert by_external["c1"]["status"] == "approved" and by_external["c1"]["decided_by"] == "policy"
    assert by_external["c3"]["attributes"]["THREAT"] > 0.5 and by_external["c3"]["policy_action"] != "approve"
    bob = client.get(f"/api/v1/queue?key={key}&{every}&author=bob").json()["comments"]
    assert {r["author"] for r in bob} == {"bob"} and len(bob) == 2
    threat = client.get(f"/api/v1/queue?key={key}&{every}&attribute=THREAT&min_score=0.5").json()["comments"]
    assert [r["external_id"] for r in threat] == ["c3"]
    day = client.get(f"/api/v1/queue?key={key}&{every}&since=2025-03-02T00:00:00Z").json()["comments"]
    assert sorted(r["external_id"] for r in day) == ["c3", "c4"]
    assert client.get(f"/api/v1/queue?key={key}&{every}&community=elsewhere").json()["comments"] == []
    thread_id = rows[0]["thread_id"]
    assert len(client.get(f"/api/v1/queue?key={key}&{every}&thread_id={thread_id}").json()["comments"]) == 4
    assert client.get(f"/api/v1/queue?key={key}&attribute=NOPE").status_code == 400


def test_decisions_are_recorded_once_and_audited(client_keys, texts) -> None:
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    rows = client.get(f"/api/v1/queue?key={keys['mod']}&status=pending&status=rejected").json()["comments"]
    ids = [r["id"] for r in rows]
    body = {"comment_ids": ids, "action": "reject", "reason": "abuse", "request_id": "bulk-0001"}
    first = client.post(f"/api/v1/decisions?key={keys['mod']}", json=body).json()
    retry = client.post(f"/api/v1/decisions?key={keys['mod']}", json=body).json()
    assert first["applied"] and not retry["applied"]
    assert {c["status"] for c in first["comments"]} == {"rejected"}
    entries = client.get(f"/api/v1/audit?key={keys['admin']}&action=reject").json()["entries"]
    assert sorted(e["comment_id"] for e in entries) == sorted(ids)
    assert {(e["actor"], e["reason"]) for e in entries} == {("mod", "abuse")}
    detail = client.get(f"/api/v1/comments/{ids[0]}?key={keys['mod']}").json()
    assert detail["status"] == "rejected" and detail["audit"][0]["action"] == "reject"


def test_a_request_id_reused_over_other_comments_is_refused_and_changes_nothing(client_keys, texts) -> None:
    """Issue 10 point 4: the same request_id sent with other comments (or another action) is not a retry:
    409 with Google's error shape, no second decision, no 500."""
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    rows = client.get(f"/api/v1/queue?key={keys['mod']}&status=pending&status=approved").json()["comments"]
    ids = sorted(r["id"] for r in rows)
    url = f"/api/v1/decisions?key={keys['mod']}"
    first = client.post(url, json={"comment_ids": ids[:1], "action": "reject", "request_id": "bulk-0002"})
    assert first.status_code == 200 and first.json()["applied"]
    before = client.get(f"/api/v1/audit?key={keys['admin']}").json()["entries"]
    for body in (
        {"comment_ids": ids[1:], "action": "approve", "request_id": "bulk-0002"},  # other comments only
        {"comment_ids": ids, "action": "reject", "request_id": "bulk-0002"},  # the same one and more
        {"comment_ids": ids[:1], "action": "escalate", "request_id": "bulk-0002"},  # another action
    ):
        response = client.post(url, json=body)
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert error["status"] == "ALREADY_EXISTS" and "bulk-0002" in error["message"]
    assert client.get(f"/api/v1/audit?key={keys['admin']}").json()["entries"] == before
    statuses = {c["id"]: c["status"] for c in client.get(
        f"/api/v1/queue?key={keys['mod']}&status=pending&status=approved&status=rejected&status=escalated"
    ).json()["comments"]}  # fmt: skip
    assert statuses[ids[0]] == "rejected" and all(statuses[i] != "rejected" for i in ids[1:])
    again = client.post(url, json={"comment_ids": ids[:1], "action": "reject", "request_id": "bulk-0002"})
    assert again.status_code == 200 and not again.json()["applied"]  # the true retry still replays


def test_reopen_needs_an_admin_and_bad_decisions_are_refused(client_keys, texts) -> None:
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    some = client.get(f"/api/v1/queue?key={keys['mod']}&status=approved").json()["comments"][0]["id"]
    reopen = {"comment_ids": [some], "action": "reopen"}
    assert client.post(f"/api/v1/decisions?key={keys['mod']}", json=reopen).status_code == 403
    assert (
        client.post(f"/api/v1/decisions?key={keys['admin']}", json=reopen).json()["comments"][0]["status"]
        == "pending"
    )
    missing = {"comment_ids": [10**9], "action": "approve"}
    assert client.post(f"/api/v1/decisions?key={keys['mod']}", json=missing).json()["error"]["code"] == 404
    assert (
        client.post(
            f"/api/v1/decisions?key={keys['mod']}", json={"comment_ids": [some], "action": "delete"}
        ).status_code
        == 400
    )


def test_comment_detail_has_parent_thread_and_author_history(client_keys, texts) -> None:
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    rows = client.get(
        f"/api/v1/queue?key={keys['mod']}&status=pending&status=approved&status=rejected"
    ).json()
    c3 = next(r for r in rows["comments"] if r["external_id"] == "c3")
    detail = client.get(f"/api/v1/comments/{c3['id']}?key={keys['mod']}").json()
    assert detail["parent"]["external_id"] == "c2"
    assert detail["thread"]["title"] == "A folk song returns"
    history = client.get(f"/api/v1/authors/bob?key={keys['mod']}").json()
    assert history["total"] == 2 and len(history["recent"]) == 2
    assert client.get(f"/api/v1/comments/999999?key={keys['mod']}").status_code == 404


def test_batch_analyze_and_thread_json(client_keys, texts) -> None:
    client, keys = client_keys
    reply = {
        "id": "b",
        "text": texts["elliptic_reply"],
        "article": texts["article"],
        "parent": texts["parent"],
    }
    batch = {"comments": [{"id": 1, "text": texts["threat"]}, reply], "store": True, "community": "sports"}
    results = client.post(f"/api/v1/analyze?key={keys['mod']}", json=batch).json()["results"]
    assert [r["id"] for r in results] == [1, "b"]
    assert results[0]["attributes"]["THREAT"] > 0.5 and results[0]["policy"]["action"] != "approve"
    assert "context_effect" in results[1]
    thread = {
        "id": "t-9",
        "title": "Story",
        "comments": [{"id": "1", "text": "hello"}, {"id": "2", "parent_id": "1", "text": "hi"}],
    }
    stored = client.post(f"/api/v1/threads?key={keys['mod']}", json=thread).json()
    assert (stored["comments_new"], stored["comments_existing"]) == (2, 0)
    assert client.post(f"/api/v1/threads?key={keys['mod']}", json=thread).json()["comments_new"] == 0


def test_stats_count_days_and_flags(client_keys, texts) -> None:
    client, keys = client_keys
    _ingest(client, keys["mod"], texts)
    stats = client.get(f"/api/v1/stats?key={keys['mod']}").json()
    assert [d["day"] for d in stats["daily"]] == ["2025-03-01", "2025-03-02"]
    assert [d["total"] for d in stats["daily"]] == [2, 2]
    assert stats["daily"][1]["flagged"]["THREAT"] >= 1
    assert sum(stats["totals"].values()) == 4


def test_native_api_needs_a_caller(client_keys) -> None:
    client, _ = client_keys
    assert client.get("/api/v1/queue").json()["error"]["status"] == "UNAUTHENTICATED"
    assert client.post("/api/v1/decisions", json={"comment_ids": [1], "action": "approve"}).status_code == 401
    assert client.get("/openapi.json").json()["paths"]["/v1alpha1/comments:analyze"]["post"]


def test_a_banned_authors_next_comment_is_rejected_and_undo_reverts(client_keys, texts) -> None:
    client, keys = client_keys
    key = keys["mod"]
    ban = {"community": "default", "action": "ban", "reason": "threats"}
    answer = client.post(f"/api/v1/authors/bob/standing?key={key}", json=ban).json()
    assert answer["standing"]["status"] == "banned" and answer["standing"]["set_by"] == "mod"
    _ingest(client, key, texts)
    every = "status=pending&status=approved&status=rejected&status=escalated"
    rows = client.get(f"/api/v1/queue?key={key}&{every}&author=bob").json()["comments"]
    assert {(r["status"], r["policy_reasons"][0]) for r in rows} == {("rejected", "author banned (threats)")}
    history = client.get(f"/api/v1/authors/bob?key={key}").json()
    assert history["standings"][0]["status"] == "banned"
    audit = client.get(f"/api/v1/audit?key={keys['admin']}&action=author_ban").json()["entries"]
    assert audit[0]["reason"] == "threats" and audit[0]["detail"]["author"] == "bob"
    bad = {"community": "default", "action": "suspend"}
    assert client.post(f"/api/v1/authors/bob/standing?key={key}", json=bad).status_code == 400
    # undo of a moderator's decision puts the comment back; a second undo has nothing to undo
    decision = {"comment_ids": [rows[0]["id"]], "action": "approve"}
    assert (
        client.post(f"/api/v1/decisions?key={key}", json=decision).json()["comments"][0]["status"]
        == "approved"
    )
    undo = {"comment_ids": [rows[0]["id"]], "action": "undo"}
    assert (
        client.post(f"/api/v1/decisions?key={key}", json=undo).json()["comments"][0]["status"] == "rejected"
    )
    again = client.post(f"/api/v1/decisions?key={key}", json=undo)
    assert again.status_code == 400 and "nothing to undo" in again.json()["error"]["message"]
