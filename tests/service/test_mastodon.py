"""Mastodon's admin webhooks: signed deliveries as Mastodon 4.x sends them (fixtures in
tests/fixtures/mastodon/, compact JSON as Oj.dump writes it), and reports filed back to a local HTTP
server standing in for the instance's REST API."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.service.conftest import make_client
from threadguard.service import mastodon
from threadguard.store.schema import AuditEntry, CommentRow, ThreadRow
from threadguard.thread.context import ContextScorer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mastodon"
URL = "/integrations/mastodon/webhook"
SECRET = "3f9a1c7e5b2d48a6c0e1f2a3b4c5d6e7f8091a2b"  # Mastodon's own: SecureRandom.hex(20)
OTHER_SECRET = "9d8c7b6a5f4e3d2c1b0a99887766554433221100"
TOKEN = "tg-bot-token-0123456789abcdef"
COMMUNITY = "Mastodon:social.example"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def signature(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def post(client: TestClient, raw: bytes, header: str | None = "sign") -> Any:
    headers = {"Content-Type": "application/json", "User-Agent": "http.rb/5.2.0 (Mastodon/4.3.2)"}
    if header == "sign":
        header = signature(raw)
    if header is not None:
        headers["X-Hub-Signature"] = header
    return client.post(URL, content=raw, headers=headers)


def edited(name: str, **changes: Any) -> bytes:
    """A fixture's event with some of its object's fields changed, as compact as Mastodon sends it."""
    body = json.loads(fixture(name))
    body["object"].update(changes)
    return json.dumps(body, separators=(",", ":")).encode()


@dataclass
class FakeInstance:
    """The instance's `POST /api/v1/reports`: records each request and answers as `mode` says."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "ok"  # ok | forbidden | redirect | slow
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def instance() -> Iterator[FakeInstance]:
    fake: FakeInstance

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "form": parse_qsl(body)})
            if fake.mode == "slow":
                fake.release.wait(10)
            if fake.mode == "forbidden":
                self.answer(403, {"error": "This action is outside the authorized scopes"})
            elif fake.mode == "redirect":
                self.send_response(302)
                self.send_header("Location", "https://elsewhere.example/steal")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:  # Mastodon's Report entity, as POST /api/v1/reports answers it
                form = parse_qsl(body)
                ids = [v for k, v in form if k == "status_ids[]"]
                self.answer(200, {"id": "77", "action_taken": False, "category": "other",
                                  "comment": dict(form).get("comment"), "forwarded": False,
                                  "status_ids": ids})  # fmt: skip

        def answer(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeInstance(url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()


def mastodon_client(
    db_url: str, scorer: ContextScorer, api_url: str | None, token: str | None
) -> Iterator[TestClient]:
    client, _keys = make_client(db_url, scorer)
    settings = client.app.state.runtime.settings
    settings.mastodon_webhook_secrets = SECRET
    settings.mastodon_api_url, settings.mastodon_api_token = api_url, token
    with client:
        yield client
    client.app.state.runtime.engine.dispose()


@pytest.fixture
def reporting(db_url: str, scorer: ContextScorer, instance: FakeInstance) -> Iterator[TestClient]:
    """A server that files reports on the fake instance."""
    yield from mastodon_client(db_url, scorer, instance.url + "/", TOKEN)


@pytest.fixture
def scoring_only(db_url: str, scorer: ContextScorer) -> Iterator[TestClient]:
    """A server with the webhook secret but no API token: it scores and stores, files nothing."""
    yield from mastodon_client(db_url, scorer, None, None)


@pytest.fixture
def unreachable(db_url: str, scorer: ContextScorer) -> Iterator[TestClient]:
    """A server whose instance is down: nothing listens on its port."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    yield from mastodon_client(db_url, scorer, f"http://127.0.0.1:{port}", TOKEN)


def stored(client: TestClient) -> list[CommentRow]:
    with client.app.state.runtime.sessions() as session:
        return list(session.scalars(select(CommentRow).order_by(CommentRow.id)))


def report_audits(client: TestClient) -> list[AuditEntry]:
    with client.app.state.runtime.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == "mastodon_report").order_by(AuditEntry.id)
        return list(session.scalars(query))


def test_a_flagged_status_is_reported_back_to_the_instance(reporting, instance) -> None:
    raw = fixture("status_insult.json")
    status = json.loads(raw)["object"]
    response = post(reporting, raw)
    assert response.status_code == 200
    (verdict,) = response.json()["statuses"]
    assert verdict["status_id"] == status["id"] and verdict["action"] == "review"
    assert verdict["stored"] is True and verdict["report"] == "queued" and verdict["reasons"]
    (row,) = stored(reporting)
    assert (row.community, row.author, row.status) == (COMMUNITY, "bob", "pending")
    assert row.text == "@ann You are a stupid idiot & a liar."
    (filed,) = instance.requests
    assert filed["path"] == "/api/v1/reports"
    assert filed["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert filed["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(filed["form"])
    assert form["account_id"] == status["account"]["id"] and form["status_ids[]"] == status["id"]
    assert (form["category"], form["forward"]) == ("other", "false")
    assert form["comment"] == f"threadguard: review ({'; '.join(verdict['reasons'])})"
    (audit,) = report_audits(reporting)
    assert audit.comment_id == row.id and audit.actor == "mastodon"
    assert audit.detail == {"status_id": status["id"], "account_id": status["account"]["id"],
                            "ok": True, "report_id": "77"}  # fmt: skip
    # Mastodon retried the delivery: nothing is stored or reported twice
    again = post(reporting, raw).json()["statuses"][0]
    assert again["stored"] is False and "report" not in again
    assert len(instance.requests) == 1 and len(stored(reporting)) == 1


def test_a_clean_status_is_stored_approved_and_not_reported(reporting, instance) -> None:
    raw = fixture("status_clean.json")
    response = post(reporting, raw)
    assert response.status_code == 200
    assert response.json() == {
        "event": "status.created",
        "statuses": [{"status_id": "113570000000000001", "action": "approve", "reasons": [], "stored": True}],
    }
    (row,) = stored(reporting)
    assert row.status == "approved" and row.author == "ann" and row.parent_external_id is None
    assert row.text == "Lovely song, my grandmother sang it every winter. Thanks for sharing #folk"
    with reporting.app.state.runtime.sessions() as session:
        thread = session.get(ThreadRow, row.thread_id)
    assert (thread.source, thread.external_id) == ("mastodon", "social.example:113570000000000001")
    assert thread.url == "https://social.example/@ann/113570000000000001"
    assert instance.requests == [] and report_audits(reporting) == []


def test_a_reply_is_judged_with_its_parent_in_the_parents_thread(reporting) -> None:
    assert post(reporting, fixture("status_parent.json")).status_code == 200
    assert post(reporting, fixture("status_reply.json")).status_code == 200
    # the same words as a top-level status threadguard knows no context for
    alone = edited("status_reply.json", id="113570000000000012", in_reply_to_id=None)
    assert post(reporting, alone).status_code == 200
    parent, reply, lonely = stored(reporting)
    assert (reply.parent_external_id, reply.thread_id) == (parent.external_id, parent.thread_id)
    assert reply.depth == parent.depth + 1
    assert lonely.thread_id != parent.thread_id
    assert reply.context_effect and not lonely.context_effect
    assert reply.scores() != lonely.scores()
    # a reply to the reply joins the same thread, keyed by the first status
    deeper = edited("status_reply.json", id="113570000000000013", in_reply_to_id=reply.external_id)
    assert post(reporting, deeper).status_code == 200
    assert stored(reporting)[-1].thread_id == parent.thread_id
    assert stored(reporting)[-1].depth == reply.depth + 1


def test_an_edit_is_judged_again_as_a_new_version_in_the_same_thread(reporting, instance) -> None:
    assert post(reporting, fixture("status_clean.json")).json()["statuses"][0]["action"] == "approve"
    body = json.loads(fixture("status_insult.json"))
    clean = json.loads(fixture("status_clean.json"))["object"]
    body["event"] = "status.updated"
    body["object"] = {**clean, "edited_at": "2026-12-01T09:30:00.000Z",
                      "content": body["object"]["content"]}  # fmt: skip
    raw = json.dumps(body, separators=(",", ":")).encode()
    verdict = post(reporting, raw).json()["statuses"][0]
    assert verdict["action"] == "review" and verdict["report"] == "queued"
    first, edit = stored(reporting)
    assert edit.external_id == "113570000000000001@2026-12-01T09:30:00.000Z"
    assert edit.thread_id == first.thread_id
    (filed,) = instance.requests
    assert dict(filed["form"])["status_ids[]"] == clean["id"]
    (audit,) = report_audits(reporting)
    assert audit.comment_id == edit.id and audit.detail["ok"] is True


def test_without_a_token_the_status_is_scored_and_stored_and_the_answer_says_so(scoring_only) -> None:
    response = post(scoring_only, fixture("status_insult.json"))
    assert response.status_code == 200
    (verdict,) = response.json()["statuses"]
    assert verdict["action"] == "review" and verdict["report"] == "not_configured"
    assert stored(scoring_only)[0].status == "pending"
    assert report_audits(scoring_only) == []


def test_a_report_created_event_scores_and_stores_the_reported_statuses(reporting, instance) -> None:
    raw = fixture("report_created.json")
    response = post(reporting, raw)
    assert response.status_code == 200
    answer = response.json()
    assert answer["event"] == "report.created"
    (verdict,) = answer["statuses"]
    assert verdict["status_id"] == "113570000000000099" and verdict["action"] == "review"
    assert "report" not in verdict  # the report exists already
    (row,) = stored(reporting)
    # the reporter is local: the report is the instance's, the reported status a remote one
    assert (row.community, row.author, row.status) == (COMMUNITY, "dan@other.example", "pending")
    assert instance.requests == []


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "wrong-secret", "other-body", "sha256"],
)
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(reporting, instance, header) -> None:
    raw = fixture("status_insult.json")
    header = {
        "wrong-secret": signature(raw, "not-the-webhook-secret"),
        "other-body": signature(raw + b" "),
    }.get(header, header)
    response = post(reporting, raw, header)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "missing or wrong X-Hub-Signature"
    assert stored(reporting) == [] and instance.requests == []


def test_each_configured_secret_verifies_and_the_hex_case_does_not_matter(reporting) -> None:
    raw = fixture("status_clean.json")
    reporting.app.state.runtime.settings.mastodon_webhook_secrets = f"{OTHER_SECRET}, {SECRET}"
    assert (
        post(reporting, raw, signature(raw, OTHER_SECRET).upper().replace("SHA256=", "sha256=")).status_code
        == 200
    )
    assert post(reporting, raw, signature(raw, SECRET)).status_code == 200


def test_the_endpoint_is_off_without_a_secret(scoring_only) -> None:
    scoring_only.app.state.runtime.settings.mastodon_webhook_secrets = None
    response = post(scoring_only, fixture("status_clean.json"))
    assert response.status_code == 404
    assert "THREADGUARD_MASTODON_WEBHOOK_SECRETS" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("account_approved.json", "event not acted on"), ("status_boost.json", "no text to score")],
)
def test_events_and_statuses_with_nothing_to_score_are_a_clear_200(scoring_only, name, reason) -> None:
    raw = fixture(name)
    response = post(scoring_only, raw)
    assert response.status_code == 200
    assert response.json() == {"event": json.loads(raw)["event"], "statuses": [], "ignored": reason}
    assert stored(scoring_only) == []


@pytest.mark.parametrize(
    "bad",
    [
        b"{not json",
        b"[]",
        b'{"event": "status.created"}',
        b'{"event": "status.created", "object": {"id": "1", "content": "<p>hi</p>"}}',
        b'{"event": "report.created", "object": {"id": "9", "statuses": []}}',
        b'{"object": {}}',
    ],
)
def test_a_bad_body_is_a_400(scoring_only, bad) -> None:
    response = post(scoring_only, bad)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert stored(scoring_only) == []


def test_unknown_fields_are_ignored(scoring_only) -> None:
    body = json.loads(fixture("status_clean.json"))
    body["object"]["quote_approval"] = {"automatic": ["public"]}
    body["future"] = 1
    raw = json.dumps(body).encode()
    assert post(scoring_only, raw).json()["statuses"][0]["action"] == "approve"


def test_an_unreachable_instance_is_no_500_and_the_failure_is_audited(unreachable, caplog) -> None:
    with caplog.at_level("WARNING", logger="threadguard.service"):
        response = post(unreachable, fixture("status_insult.json"))
    assert response.status_code == 200
    assert response.json()["statuses"][0]["report"] == "queued"
    (audit,) = report_audits(unreachable)
    assert audit.detail["ok"] is False and "Connection refused" in audit.detail["error"]
    assert audit.comment_id == stored(unreachable)[0].id
    assert "Mastodon report on status 113570000000000002 failed" in caplog.text
    assert TOKEN not in caplog.text and TOKEN not in json.dumps(audit.detail)


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("forbidden", "HTTP 403: This action is outside the authorized scopes"),
        ("redirect", "HTTP 302: Found"),
    ],
)
def test_a_refusal_or_redirect_is_audited_and_the_token_never_leaves_for_elsewhere(
    reporting, instance, mode, error
) -> None:
    instance.mode = mode
    assert post(reporting, fixture("status_insult.json")).status_code == 200
    (audit,) = report_audits(reporting)
    assert audit.detail["ok"] is False and audit.detail["error"] == error
    assert len(instance.requests) == 1  # the redirect was not followed


def test_a_hanging_instance_times_out_and_is_audited(reporting, instance, monkeypatch) -> None:
    monkeypatch.setattr(mastodon, "REPORT_TIMEOUT", 0.5)
    instance.mode = "slow"
    assert post(reporting, fixture("status_insult.json")).status_code == 200
    (audit,) = report_audits(reporting)
    assert audit.detail["ok"] is False and "timed out" in audit.detail["error"]


def test_settings_come_from_the_environment(monkeypatch) -> None:
    from threadguard.server.settings import Settings

    monkeypatch.setenv("THREADGUARD_MASTODON_WEBHOOK_SECRETS", f" {SECRET},{OTHER_SECRET} ,")
    monkeypatch.setenv("THREADGUARD_MASTODON_API_URL", "https://social.example")
    monkeypatch.setenv("THREADGUARD_MASTODON_API_TOKEN", TOKEN)
    settings = Settings.from_env()
    assert settings.mastodon_secrets == [SECRET, OTHER_SECRET]
    assert (settings.mastodon_api_url, settings.mastodon_api_token) == ("https://social.example", TOKEN)
    assert Settings.from_env().to_env()["THREADGUARD_MASTODON_API_TOKEN"] == TOKEN
