"""A real server on a free loopback port (uvicorn in a thread) with a seeded queue, for the browser."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tests.service.conftest import make_client
from threadguard.thread.context import ContextScorer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "server"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Base URL, API keys and the texts of the seeded comments."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'tg.db'}"
    # secure cookies as in production: the browser must still log in over http://127.0.0.1
    client, keys = make_client(
        url, ContextScorer.load(), policy=FIXTURES / "review_all.toml", secure_cookies=True
    )
    app = client.app
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    texts = json.loads((FIXTURES / "comments.json").read_text(encoding="utf-8"))
    seed = [texts["threat"], texts["script"], *(line["text"] for line in texts["thread"][1:]),
            texts["insult_after_emoji"], texts["elliptic_reply"]]  # fmt: skip
    thread_json = {
        "id": "web-story", "title": "Foreign fighters want to come home", "article": texts["article"],
        "comments": [{"id": f"w{i}", "text": t, "author": f"user{i % 3}", "parent_id": "w0" if i else None,
                      "created": f"2025-03-0{1 + i % 3}T12:00:00Z"}
                     for i, t in enumerate(seed)],
    }  # fmt: skip
    httpx.post(f"{base}/api/v1/threads?key={keys['admin']}", json=thread_json, timeout=30).raise_for_status()
    yield {"base": base, "keys": keys, "texts": texts}
    server.should_exit = True
    thread.join(timeout=10)
