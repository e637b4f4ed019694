"""kill -9 the server while it ingests an export and while moderators decide: after a restart, no
acknowledged decision and no ingested comment is lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tests.service.conftest import password_hash
from threadguard.store.database import make_engine, session_factory, upgrade
from threadguard.store.schema import AuditEntry, CommentRow, User
from threadguard.store.users import create_api_key

THREADS, PER_THREAD = 80, 10


def write_export(path: Path) -> int:
    """A generic JSONL export: THREADS threads of PER_THREAD ordinary comments, replies included."""
    with path.open("w", encoding="utf-8") as out:
        for t in range(THREADS):
            for c in range(PER_THREAD):
                line = {
                    "thread_id": f"story-{t}",
                    "id": f"{t}-{c}",
                    "parent_id": f"{t}-{c - 1}" if c % 3 else None,
                    "author": f"reader{c % 5}",
                    "created_at": f"2025-04-{1 + t % 28:02d}T10:{c:02d}:00Z",
                    "text": f"Comment {c} on story {t}: the council should fix the road before winter.",
                }
                out.write(json.dumps(line) + "\n")
    return THREADS * PER_THREAD


class Server:
    """`threadguard serve` in its own process."""

    def __init__(self, url: str, log: Path, extra: tuple[str, ...] = ()) -> None:
        self.url, self.log, self.extra = url, log, extra
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "threadguard", "serve", "--port", str(self.port), "--db", self.url]
        command += self.extra
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def server_and_key(db_url: str, tmp_path: Path):
    engine = make_engine(db_url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        user = User(username="mod", password_hash=password_hash("mod-password"), role="moderator")
        session.add(user)
        session.flush()
        key = create_api_key(session, user, "faults", scopes=("analyze", "ingest", "moderate"))
    server = Server(db_url, tmp_path / "server.log")
    yield server, key, engine
    if server.process and server.process.poll() is None:
        server.kill()
    engine.dispose()


def count(engine, *where) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(CommentRow).where(*where))


def test_kill_9_during_ingest_and_decisions_loses_and_duplicates_nothing(server_and_key, tmp_path) -> None:
    server, key, engine = server_and_key
    export = tmp_path / "export.jsonl"
    total = write_export(export)
    server.start()

    # 1. kill -9 in the middle of an ingest
    def upload() -> None:
        try:
            with export.open("rb") as f:
                httpx.post(f"{server.base}/api/v1/ingest?key={key}", files={"file": ("export.jsonl", f)},
                           data={"format": "jsonl"}, timeout=120)  # fmt: skip
        except httpx.HTTPError:
            pass  # the server dies under it: no acknowledgement

    uploader = threading.Thread(target=upload)
    uploader.start()
    deadline = time.monotonic() + 60
    while count(engine) < 3 * PER_THREAD and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()
    uploader.join()
    stored_at_kill = count(engine)
    assert 0 < stored_at_kill < total, "the kill should land mid-ingest"
    assert stored_at_kill % PER_THREAD == 0  # whole threads only: each commits in one transaction

    server.start()
    with export.open("rb") as f:
        again = httpx.post(f"{server.base}/api/v1/ingest?key={key}", files={"file": ("export.jsonl", f)},
                           data={"format": "jsonl"}, timeout=120).json()  # fmt: skip
    assert again["comments_existing"] == stored_at_kill
    assert again["comments_new"] + again["comments_existing"] == total
    assert count(engine) == total
    with session_factory(engine)() as session:
        distinct = session.scalar(
            select(func.count(func.distinct(CommentRow.thread_id.concat(":").concat(CommentRow.external_id))))
        )
    assert distinct == total

    # 2. kill -9 while a moderator decides, one comment per request
    with session_factory(engine)() as session:
        ids = list(session.scalars(select(CommentRow.id).order_by(CommentRow.id).limit(400)))
    acknowledged: list[tuple[int, str, str]] = []
    in_flight: list[tuple[int, str, str]] = []

    def moderate() -> None:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            for n, comment_id in enumerate(ids):
                action = ("approve", "reject", "escalate")[n % 3]
                request_id = f"fault-test-{n:06d}"
                in_flight[:] = [(comment_id, action, request_id)]
                try:
                    response = client.post(f"/api/v1/decisions?key={key}", json={
                        "comment_ids": [comment_id], "action": action, "request_id": request_id})  # fmt: skip
                except httpx.HTTPError:
                    return
                assert response.status_code == 200
                acknowledged.append((comment_id, action, request_id))

    moderator = threading.Thread(target=moderate)
    moderator.start()
    while len(acknowledged) < 40 and moderator.is_alive():
        time.sleep(0.005)
    server.kill()
    moderator.join()
    assert 40 <= len(acknowledged) < len(ids)

    server.start()
    # the moderator's client retries the request that never got an answer, with the same request_id
    comment_id, action, request_id = in_flight[0]
    body = {"comment_ids": [comment_id], "action": action, "request_id": request_id}
    retry = httpx.post(f"{server.base}/api/v1/decisions?key={key}", json=body, timeout=30)
    assert retry.status_code == 200
    status = {"approve": "approved", "reject": "rejected", "escalate": "escalated"}
    with session_factory(engine)() as session:
        for comment_id, action, request_id in [*acknowledged, in_flight[0]]:
            assert session.get(CommentRow, comment_id).status == status[action]
            entries = session.scalars(
                select(AuditEntry).where(AuditEntry.request_id == f"{request_id}#{comment_id}")
            )
            assert len(list(entries)) == 1, f"decision {request_id} recorded once"
        decisions = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(status))
        )
    assert decisions == len(acknowledged) + 1
    assert count(engine) == total
