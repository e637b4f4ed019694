"""Login: wrong passwords are throttled per address and per account (429 + Retry-After) and audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.service.conftest import make_client
from threadguard.server.throttle import LoginThrottle
from threadguard.store.schema import AuditEntry
from threadguard.store.users import set_password
from threadguard.thread.context import ContextScorer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_counts_failures_in_a_sliding_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(attempts=3, window=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("ip:a", "user:x") == 0
        throttle.failed("ip:a", "user:x")
    assert 0 < throttle.retry_after("ip:a") <= 61
    assert throttle.retry_after("user:x") > 0 and throttle.retry_after("ip:b", "user:y") == 0
    clock.now += 61
    assert throttle.retry_after("ip:a", "user:x") == 0
    throttle.failed("user:y")
    throttle.succeeded("user:y")
    assert throttle.retry_after("user:y") == 0


def test_memory_stays_bounded_whatever_the_number_of_keys() -> None:
    throttle = LoginThrottle(max_keys=100)
    for i in range(1000):
        throttle.failed(f"ip:{i}")
    assert len(throttle._failures) == 100


@pytest.fixture
def client(tmp_path):
    client, _keys = make_client(f"sqlite:///{tmp_path / 'tg.db'}", ContextScorer.load(tier="fast"))
    with client:
        yield client


def _login(client, username: str, password: str):
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_wrong_passwords_get_429_with_retry_after_and_are_audited(client) -> None:
    for _ in range(5):
        assert _login(client, "mod", "wrong").status_code == 200  # the form again, with an error
    refused = _login(client, "mod", "mod-password")  # even the right password waits now
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many failed logins" in refused.text
    with client.app.state.runtime.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "mod")).all()
    assert actions.count("login_failed") == 5 and "login" not in actions


def test_a_right_password_logs_in_and_is_audited(client) -> None:
    assert _login(client, "admin", "admin-password").status_code == 303
    with client.app.state.runtime.sessions() as session:
        assert "login" in session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "admin")).all()


def test_logout_and_a_password_change_end_the_session_server_side(client) -> None:
    assert _login(client, "mod", "mod-password").status_code == 303
    cookie = client.cookies.get("threadguard_session")
    assert client.get("/queue", follow_redirects=False).status_code == 200
    page = client.get("/queue").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    client.cookies.set("threadguard_session", cookie)  # the stolen or kept cookie, replayed
    assert client.get("/queue", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/queue").status_code == 401

    assert _login(client, "mod", "mod-password").status_code == 303
    assert client.get("/queue", follow_redirects=False).status_code == 200
    with client.app.state.runtime.sessions.begin() as session:
        set_password(session, "mod", "a brand new password")
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_a_moderators_login_is_refused_the_admin_api_as_the_admin_pages(client) -> None:
    assert _login(client, "mod", "mod-password").status_code == 303
    assert client.get("/audit").status_code == 403
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/api/v1/queue").status_code == 200


def test_password_checks_queue_one_at_a_time_and_a_full_queue_answers_busy() -> None:
    import asyncio
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from threadguard.server.throttle import MAX_WAITING_CHECKS, ChecksBusy

    throttle = LoginThrottle()
    release, running, peak = threading.Event(), [], []

    def check(i: int) -> int:
        running.append(i)
        peak.append(len(running))
        release.wait(5)
        running.remove(i)
        return i

    async def flood() -> list[object]:
        tasks = [asyncio.create_task(throttle.run_check(check, i)) for i in range(MAX_WAITING_CHECKS + 3)]
        await asyncio.sleep(0.2)
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    with ThreadPoolExecutor(1) as pool:  # its own thread: an earlier test may leave a loop running here
        results = pool.submit(asyncio.run, flood()).result()
    assert results[:MAX_WAITING_CHECKS] == list(range(MAX_WAITING_CHECKS))
    assert all(isinstance(r, ChecksBusy) for r in results[MAX_WAITING_CHECKS:])
    assert max(peak) == 1
