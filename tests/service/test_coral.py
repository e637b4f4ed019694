"""Coral's External Moderation Phase: signed requests exactly as Coral sends them (fixtures in
tests/fixtures/coral/, pretty-printed as JSON.stringify(data, null, 2)), answered in Coral's enums."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.service.conftest import make_client
from threadguard.store import authors, words
from threadguard.store.schema import CommentRow, ThreadRow
from threadguard.thread.context import ContextScorer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coral"
URL = "/integrations/coral/moderation"
OLD_SECRET = "empsec_5d0f3a1c9b7e42d6a8f1c3e5b7d9f0a2"
NEW_SECRET = "empsec_e1c2b3a4f5d6978812345abcdef06789"
# Coral's enums (coralproject/talk schema.graphql and phases/external.ts)
STATUSES = {"NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD"}
REASONS = {"COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM"}
REJECTION_CODES = {"OFFENSIVE", "ABUSIVE", "SPAM", "BANNED_WORD", "AD", "ILLEGAL_CONTENT",
                   "HARASSMENT_BULLYING", "MISINFORMATION", "HATE_SPEECH", "IRRELEVANT_CONTENT",
                   "OTHER"}  # fmt: skip


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def signature(raw: bytes, *secrets: str) -> str:
    return ",".join("sha256=" + hmac.new(s.encode(), raw, hashlib.sha256).hexdigest() for s in secrets)


def post(client: TestClient, raw: bytes, header: str | None) -> Any:
    headers = {"Content-Type": "application/json", "User-Agent": "Coral Moderation/9.11.0"}
    if header is not None:
        headers["X-Coral-Signature"] = header
    return client.post(URL, content=raw, headers=headers)


def coral_client(
    db_url: str, scorer: ContextScorer, policy: Path | None = None
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    client, keys = make_client(db_url, scorer, policy=policy)
    client.app.state.runtime.settings.coral_signing_secrets = NEW_SECRET
    with client:
        yield client, keys
    client.app.state.runtime.engine.dispose()


@pytest.fixture
def coral(db_url: str, scorer: ContextScorer) -> Iterator[tuple[TestClient, dict[str, str]]]:
    yield from coral_client(db_url, scorer)


@pytest.fixture
def coral_rejecting(db_url: str, scorer: ContextScorer) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A site whose policy lets the model reject threats on its own."""
    yield from coral_client(db_url, scorer, FIXTURES / "reject_threats.toml")


def stored(client: TestClient) -> list[CommentRow]:
    with client.app.state.runtime.sessions() as session:
        return list(session.scalars(select(CommentRow).order_by(CommentRow.id)))


def check_enums(answer: dict[str, Any]) -> None:
    """Coral drops a whole answer with a value outside its enums."""
    assert set(answer) <= {"actions", "status", "tags", "moderationAction"}
    assert answer["status"] in STATUSES
    assert all(a == {"actionType": "FLAG", "reason": a["reason"]} and a["reason"] in REASONS
               for a in answer["actions"])  # fmt: skip
    assert set(answer["tags"]) <= {"FEATURED", "STAFF"}
    if "moderationAction" in answer:
        assert answer["moderationAction"]["status"] in STATUSES
        assert answer["moderationAction"]["rejectionReason"]["code"] in REJECTION_CODES


def test_a_clean_new_comment_gets_no_decision_and_is_stored_under_its_story(coral) -> None:
    client, _ = coral
    raw = fixture("new_plain.json")
    response = post(client, raw, signature(raw, NEW_SECRET))
    assert response.status_code == 204 and response.content == b""
    (row,) = stored(client)
    assert row.community == "Coral:comments.example.com" and row.author == "user-1"
    assert row.text == json.loads(raw)["comment"]["body"] and row.status == "approved"
    with client.app.state.runtime.sessions() as session:
        thread = session.get(ThreadRow, row.thread_id)
    assert (thread.source, thread.external_id) == ("coral", "story-1")
    assert thread.url == "https://news.example.com/2026/story-1.html"
    assert post(client, raw, signature(raw, NEW_SECRET)).status_code == 204  # Coral retried: stored once
    assert len(stored(client)) == 1


def test_an_html_insult_is_withheld_for_a_moderator_with_a_toxic_flag(coral) -> None:
    client, _ = coral
    raw = fixture("new_html.json")
    response = post(client, raw, signature(raw, NEW_SECRET))
    assert response.status_code == 200
    answer = response.json()
    assert answer == {"actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}],
                      "status": "SYSTEM_WITHHELD", "tags": []}  # fmt: skip
    check_enums(answer)
    (row,) = stored(client)
    assert row.text == "You are a stupid idiot & a liar." and row.status == "pending"


def test_an_edited_threat_is_rejected_with_coral_rejection_reason(coral_rejecting) -> None:
    client, _ = coral_rejecting
    raw = fixture("edit_threat.json")
    response = post(client, raw, signature(raw, NEW_SECRET))
    assert response.status_code == 200
    answer = response.json()
    check_enums(answer)
    assert answer["status"] == "REJECTED"
    assert answer["moderationAction"] == {"status": "REJECTED", "rejectionReason": {"code": "ABUSIVE"}}
    assert stored(client)[0].status == "rejected"


def test_a_reply_is_judged_with_its_parent_and_article(coral, texts) -> None:
    client, keys = coral
    backfill = {"source": "coral", "id": "story-2", "url": "https://news.example.com/2026/story-2.html",
                "article": texts["article"], "community": "Coral:comments.example.com",
                "comments": [{"id": "c-parent-1", "text": texts["parent"], "author": "user-9"}]}  # fmt: skip
    assert (
        client.post("/api/v1/threads", json=backfill, headers={"X-API-Key": keys["admin"]}).status_code == 200
    )
    raw = fixture("reply.json")
    assert post(client, raw, signature(raw, NEW_SECRET)).status_code in (200, 204)
    # the same words as a top-level comment on a story threadguard knows nothing about
    alone = json.loads(raw)
    alone["comment"]["parentID"], alone["story"]["id"] = None, "story-3"
    alone_raw = json.dumps(alone, indent=2).encode()
    assert post(client, alone_raw, signature(alone_raw, NEW_SECRET)).status_code in (200, 204)
    parent, reply, lonely = stored(client)
    assert (reply.parent_external_id, reply.depth, reply.thread_id) == ("c-parent-1", 2, parent.thread_id)
    assert reply.context_effect and not lonely.context_effect
    assert reply.scores() != lonely.scores()


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=" + "0" * 64,
        "sha1=abc",
        signature(b"{}", NEW_SECRET),
        signature(b"x", "empsec_other"),
    ],
)
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(coral, header) -> None:
    client, _ = coral
    raw = fixture("new_html.json")
    if header == signature(b"x", "empsec_other"):
        header = signature(raw, "empsec_other")  # the right body, the wrong secret
    response = post(client, raw, header)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "missing or wrong X-Coral-Signature"
    assert stored(client) == []


def test_a_rotated_pair_verifies_with_either_secret(coral) -> None:
    """While Coral rotates, it signs with both; the server may know the new secret, the old, or both."""
    client, _ = coral
    raw = fixture("new_plain.json")
    both = signature(raw, OLD_SECRET, NEW_SECRET)
    assert post(client, raw, both).status_code == 204  # server has the new secret only
    client.app.state.runtime.settings.coral_signing_secrets = f"{OLD_SECRET}, {NEW_SECRET}"
    assert post(client, raw, signature(raw, OLD_SECRET)).status_code == 204  # old alone, both configured
    client.app.state.runtime.settings.coral_signing_secrets = OLD_SECRET
    assert post(client, raw, both).status_code == 204
    assert post(client, raw, signature(raw, NEW_SECRET)).status_code == 401


def test_the_endpoint_is_off_without_a_secret(coral) -> None:
    client, _ = coral
    client.app.state.runtime.settings.coral_signing_secrets = None
    raw = fixture("new_plain.json")
    response = post(client, raw, signature(raw, NEW_SECRET))
    assert (
        response.status_code == 404
        and "THREADGUARD_CORAL_SIGNING_SECRETS" in response.json()["error"]["message"]
    )


def test_unknown_fields_are_ignored_and_a_bad_body_is_a_400(coral) -> None:
    client, _ = coral
    body = json.loads(fixture("new_plain.json"))
    body["comment"]["revision"] = {"id": "r1"}
    body["futureField"] = [1, 2]
    raw = json.dumps(body, indent=2).encode()
    assert post(client, raw, signature(raw, NEW_SECRET)).status_code == 204
    for bad in (b"{not json", b'{"action": "DELETE"}', b"[]"):
        response = post(client, bad, signature(bad, NEW_SECRET))
        assert response.status_code == 400, bad


def test_secrets_come_from_the_environment_comma_separated(monkeypatch) -> None:
    from threadguard.server.settings import Settings

    monkeypatch.setenv("THREADGUARD_CORAL_SIGNING_SECRETS", f" {OLD_SECRET},{NEW_SECRET} ,")
    settings = Settings.from_env()
    assert settings.coral_secrets == [OLD_SECRET, NEW_SECRET]
    assert Settings.from_env().to_env()["THREADGUARD_CORAL_SIGNING_SECRETS"] == settings.coral_signing_secrets


def test_the_answer_follows_the_community_word_lists_and_the_author_standing(coral) -> None:
    """Both are read from the store on each request: a moderator's change applies to the next comment."""
    client, _ = coral
    community = "Coral:comments.example.com"

    def send(text: str) -> Any:
        body = json.loads(fixture("new_plain.json"))
        body["comment"]["body"] = text
        raw = json.dumps(body, indent=2).encode()
        return post(client, raw, signature(raw, NEW_SECRET))

    assert send("Thanks for the thoughtful article.").status_code == 204
    with client.app.state.runtime.sessions.begin() as session:
        words.add(session, community, "suspect", "thoughtful", actor="tester")
    withheld = send("Another thoughtful article, thanks.")
    assert withheld.status_code == 200 and withheld.json()["status"] == "SYSTEM_WITHHELD"
    with client.app.state.runtime.sessions.begin() as session:
        authors.set_standing(session, community, "user-1", "ban", actor="tester")
    rejected = send("Thanks again for writing this.")
    assert rejected.status_code == 200 and rejected.json()["moderationAction"] == {
        "status": "REJECTED", "rejectionReason": {"code": "OFFENSIVE"}
    }  # fmt: skip
    assert [(r.status, r.policy_reasons) for r in stored(client)] == [
        ("approved", []), ("pending", ["suspect word: thoughtful"]), ("rejected", ["author banned"]),
    ]  # fmt: skip


def test_concurrent_requests_are_each_answered_and_stored_once(coral) -> None:
    """The phase runs one request at a time per process (Runtime.writer): none waits forever, none is lost."""
    client, _ = coral
    bodies = []
    for i in range(12):
        body = json.loads(fixture("new_plain.json"))
        body["comment"]["body"] = f"Comment number {i} on this story, thanks."
        body["author"]["id"] = f"user-{i % 3}"
        bodies.append(json.dumps(body, indent=2).encode())
    with ThreadPoolExecutor(6) as pool:
        codes = list(
            pool.map(lambda raw: post(client, raw, signature(raw, NEW_SECRET)).status_code, bodies * 2)
        )
    assert codes == [204] * 24
    rows = stored(client)
    assert sorted(r.text for r in rows) == sorted(json.loads(b)["comment"]["body"] for b in bodies)
