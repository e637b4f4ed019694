"""Lone UTF-16 surrogates ("\\ud800" in the JSON) anywhere in a request body: never a server error.

Each one becomes U+FFFD wherever it is: in the comment text (the comment is still scored, stored and
shown to moderators) and in ids, tokens, languages and attribute names alike, which then go on as any
other value would (an unknown attribute is still Perspective's 400)."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from threadguard.service.validation import replace_in_json
from threadguard.store.schema import AuditEntry, CommentRow, Feedback, ThreadRow

S = "\ud800"  # a lone high surrogate; json.dumps sends it as the escape \ud800, as a hostile client does
R = "\ufffd"
ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"


def send(client: TestClient, path: str, key: str, body: Any) -> httpx.Response:
    return client.post(
        f"{path}?key={key}", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def answer(response: httpx.Response, code: int = 200) -> dict[str, Any]:
    assert response.status_code == code, response.text
    body = response.json()
    if code == 400:
        assert body["error"]["status"] == "INVALID_ARGUMENT"
    return body


TEXT = {"text": "You are a stupid idiot."}
ANALYZE_BASE = {"comment": TEXT, "requestedAttributes": {"INSULT": {}}}
SUGGEST_BASE = {"comment": TEXT, "attributeScores": {"INSULT": {"summaryScore": {"value": 0.9}}}}
DEEP: list[Any] = [S]
for _ in range(900):  # nested as deep as Python's JSON parser goes: repairing it must not recurse
    DEEP = [DEEP]
CONTEXT = {"articleAndParentComment": {"article": {"text": f"article {S}"}, "parentComment": {"text": S}}}


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        (ANALYZE, {**ANALYZE_BASE, "comment": {"text": f"You are a stupid idiot {S}"}}, 200),
        (ANALYZE, {**ANALYZE_BASE, "comment": {"text": f"<p>idiot</p>{S}", "type": "HTML"}}, 200),
        (ANALYZE, {**ANALYZE_BASE, "comment": {"text": S * 3}}, 200),
        (ANALYZE, {**ANALYZE_BASE, "context": {"entries": [{"text": f"parent {S}"}]}}, 200),
        (ANALYZE, {**ANALYZE_BASE, "context": CONTEXT}, 200),
        (ANALYZE, {**ANALYZE_BASE, "clientToken": f"token{S}"}, 200),
        (ANALYZE, {**ANALYZE_BASE, "sessionId": S}, 200),
        (ANALYZE, {**ANALYZE_BASE, "communityId": f"sports{S}"}, 200),
        (ANALYZE, {**ANALYZE_BASE, f"unknownField{S}": [S, {S: S}]}, 200),
        (ANALYZE, {**ANALYZE_BASE, "comment": {"text": f"idiot {S}"}, "unknownField": DEEP}, 200),
        (ANALYZE, {**ANALYZE_BASE, "languages": [f"en{S}"]}, 400),
        (ANALYZE, {**ANALYZE_BASE, "requestedAttributes": {f"INSULT{S}": {}}}, 400),
        (ANALYZE, {**ANALYZE_BASE, "requestedAttributes": {"INSULT": {"scoreType": S}}}, 400),
        (SUGGEST, {**SUGGEST_BASE, "comment": {"text": f"idiot {S}"}}, 200),
        (SUGGEST, {**SUGGEST_BASE, "context": CONTEXT}, 200),
        (SUGGEST, {**SUGGEST_BASE, "clientToken": S}, 200),
        (SUGGEST, {**SUGGEST_BASE, "communityId": S}, 200),
        (SUGGEST, {**SUGGEST_BASE, "languages": [S]}, 200),
        (SUGGEST, {**SUGGEST_BASE, "attributeScores": {S: {"summaryScore": {"value": 0.9}}}}, 400),
    ],
    ids=lambda value: value if isinstance(value, int) else None,
)
def test_a_lone_surrogate_anywhere_in_a_perspective_request_is_no_server_error(
    sqlite_client, path, body, code
) -> None:
    client, key = sqlite_client
    response = send(client, path, key, body)
    answer(response, code)
    assert S not in response.text


def test_repairing_copies_and_leaves_clean_bodies_alone() -> None:
    body = {"a": [f"x{S}", {f"k{S}": 1, "n": None}], "b": "clean"}
    assert replace_in_json(body) == ({"a": [f"x{R}", {f"k{R}": 1, "n": None}], "b": "clean"}, 2)
    assert body["a"][0] == f"x{S}"  # the caller's data is not changed
    clean = {"a": ["x", {"k": 1.5}], "b": True}
    assert replace_in_json(clean)[0] is clean


def test_the_comment_is_scored_stored_and_echoed_with_replacement_characters(client_keys, caplog) -> None:
    client, keys = client_keys
    caplog.set_level(logging.DEBUG)
    body = {
        "comment": {"text": f"You are a stupid idiot {S}"},
        "requestedAttributes": {"INSULT": {}},
        "clientToken": f"t-{S}",
        "communityId": f"sports{S}",
    }
    scored = answer(send(client, ANALYZE, keys["mod"], body))
    assert scored["clientToken"] == f"t-{R}"
    insult = scored["attributeScores"]["INSULT"]
    assert insult["summaryScore"]["value"] > 0.5
    assert insult["spanScores"][0]["end"] == len(f"You are a stupid idiot {R}")
    with client.app.state.runtime.sessions() as session:
        row = session.scalar(select(CommentRow))
    assert (row.text, row.community) == (f"You are a stupid idiot {R}", f"sports{R}")
    assert "surrogate" in caplog.text  # the repair is logged...
    assert "idiot" not in caplog.text  # ...without quoting the comment


def test_suggested_scores_are_kept_with_replacement_characters(client_keys) -> None:
    client, keys = client_keys
    body = {**SUGGEST_BASE, "comment": {"text": f"idiot {S}"}, "clientToken": S, "languages": [f"en{S}"]}
    kept = answer(send(client, SUGGEST, keys["mod"], body))
    assert kept["clientToken"] == R and kept["requestedLanguages"] == [f"en{R}"]
    with client.app.state.runtime.sessions() as session:
        assert session.scalar(select(Feedback)).text == f"idiot {R}"


def test_native_batch_threads_and_decisions_take_lone_surrogates(client_keys) -> None:
    client, keys = client_keys
    key = keys["mod"]
    batch = {
        "comments": [{"id": f"a{S}", "text": f"idiot {S}", "article": S, "parent": f"p{S}"}],
        "store": True,
        "community": f"c{S}",
    }
    results = answer(send(client, "/api/v1/analyze", key, batch))["results"]
    assert results[0]["id"] == f"a{R}"
    thread = {
        "source": f"api{S}", "id": f"t{S}", "url": S, "title": S, "article": S, "community": S,
        "comments": [
            {"id": f"1{S}", "text": f"hello {S}", "author": f"ann{S}", "created": S},
            {"id": f"2{S}", "parent_id": f"1{S}", "text": S},
        ],
    }  # fmt: skip
    stored = answer(send(client, "/api/v1/threads", key, thread))
    assert (stored["comments_new"], stored["comments_existing"]) == (2, 0)
    assert answer(send(client, "/api/v1/threads", key, thread))["comments_existing"] == 2
    with client.app.state.runtime.sessions() as session:
        reply = session.scalar(select(CommentRow).where(CommentRow.external_id == f"2{R}"))
        assert (reply.parent_external_id, reply.depth, reply.text) == (f"1{R}", 2, R)
        comment_id = reply.id
    decision = {"comment_ids": [comment_id], "action": "reject", "reason": f"threat {S}",
                "request_id": f"request-{S}"}  # fmt: skip
    assert answer(send(client, "/api/v1/decisions", key, decision))["applied"] is True
    with client.app.state.runtime.sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reject"))
        assert entry.reason == f"threat {R}" and entry.request_id.startswith(f"request-{R}")


def test_an_ingested_line_with_lone_surrogates_is_stored_and_counted(client_keys) -> None:
    client, keys = client_keys
    line = {"thread_id": f"story{S}", "title": f"Title {S}", "id": f"c{S}", "parent_id": None,
            "author": f"bob{S}", "text": f"You are a stupid idiot {S}"}  # fmt: skip
    export = (json.dumps(line) + "\n").encode("ascii")  # the surrogates travel as \ud800 escapes

    def ingest() -> dict[str, Any]:
        return answer(client.post(
            f"/api/v1/ingest?key={keys['mod']}",
            files={"file": ("comments.jsonl", export, "application/x-ndjson")},
            data={"format": "jsonl"},
        ))  # fmt: skip

    first = ingest()
    # counted once for the comment and once for the thread's own fields (its id and title)
    assert (first["comments_new"], first["report"]["warnings"]) == (1, {"lone_surrogate": 2})
    assert ingest()["comments_existing"] == 1  # re-ingesting finds the same, repaired, keys
    with client.app.state.runtime.sessions() as session:
        row = session.scalar(select(CommentRow))
        assert (row.text, row.author, row.external_id) == (f"You are a stupid idiot {R}", f"bob{R}", f"c{R}")
        assert session.scalar(select(ThreadRow)).title == f"Title {R}"


def test_times_at_the_year_limits_keep_every_comment_of_the_thread(client_keys) -> None:
    client, keys = client_keys
    thread = {
        "id": "limits", "title": "dates",
        "comments": [
            {"id": "a", "text": "early bird", "created": "0001-01-01T00:00:00+01:00"},
            {"id": "b", "text": "late owl", "created": "9999-12-31T23:59:59-01:00"},
            {"id": "c", "text": "on time", "created": "2025-03-01T10:00:00Z"},
        ],
    }  # fmt: skip
    body = answer(send(client, "/api/v1/threads", keys["admin"], thread))
    assert body["comments_new"] == 3
