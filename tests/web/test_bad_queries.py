"""Query strings a page cannot use are ignored or clamped, never a 500."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import make_client
from threadguard.thread.context import ContextScorer


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    client, _keys = make_client(
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'tg.db'}", ContextScorer.load(tier="fast")
    )
    with client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        client.post("/login", data={"username": "admin", "password": "admin-password", "csrf_token": token})
        assert client.get("/audit", follow_redirects=False).status_code == 200  # logged in as admin
        yield client


@pytest.mark.parametrize(
    "path",
    [
        "/queue?thread_id=99999999999999999999",
        "/queue?thread_id=%C2%B2",
        "/queue?since=0001-01-01T00:00:00%2B01:00&until=9999-12-31T23:59:59-01:00",
        "/audit?offset=99999999999999999999",
        "/audit?offset=-3",
        "/stats?community=%ED%A0%80",
    ],
)
def test_pages_answer_odd_queries_without_a_500(admin, path: str) -> None:
    answer = admin.get(path)
    assert answer.status_code in (200, 400), answer.text[:200]
    assert "internal error" not in answer.text


def test_a_comment_id_beyond_the_database_range_is_not_found(admin) -> None:
    assert admin.get("/comments/99999999999999999999").status_code == 404
