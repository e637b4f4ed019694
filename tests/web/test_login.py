"""Login: wrong passwords are throttled per address and per account (429 + Retry-After) and audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.service.conftest import make_client
from threadguard.service.throttle import LoginThrottle
from threadguard.store.schema import AuditEntry
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
