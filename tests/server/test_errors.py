"""An internal error is a JSON 500 in Google's shape, and the keep-alive connection it came on stays
usable: the server ends the response properly instead of dropping the connection after it."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from tests.service.conftest import make_client
from tests.service.live import live_server
from threadguard.thread.context import ContextScorer


@pytest.fixture
def broken_app(tmp_path, scorer: ContextScorer) -> Iterator[tuple[FastAPI, str]]:
    """A real app whose database lost its audit table: GET /api/v1/audit fails inside the app."""
    client, keys = make_client(f"sqlite:///{tmp_path / 'tg.db'}", scorer)
    engine = client.app.state.runtime.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE audit_log")
    yield client.app, keys["admin"]
    engine.dispose()


@pytest.fixture
def server(broken_app: tuple[FastAPI, str]) -> Iterator[tuple[int, str]]:
    """The app under a real uvicorn, in a thread, on a free port."""
    app, key = broken_app
    with live_server(app) as base:
        yield int(base.rsplit(":", 1)[1]), key


def test_an_internal_error_is_a_json_500_and_the_connection_stays_open(server) -> None:
    port, key = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/api/v1/audit", headers={"X-API-Key": key})
        failed = connection.getresponse()
        body = json.loads(failed.read())
        assert failed.status == 500 and failed.getheader("content-type") == "application/json"
        assert body == {"error": {"code": 500, "message": "internal error", "status": "INTERNAL"}}
        connection.request("GET", "/healthz")  # the same connection, kept alive
        healthy = connection.getresponse()
        assert healthy.status == 200 and json.loads(healthy.read())["status"] == "ok"
    finally:
        connection.close()
