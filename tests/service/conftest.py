"""A real app per test on a fresh database (SQLite and PostgreSQL), with one model loaded per session."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tests.store import conftest as store_fixtures
from threadguard.app import create_app
from threadguard.server.settings import Settings
from threadguard.store.schema import User
from threadguard.store.users import ROLE_SCOPES, create_api_key
from threadguard.thread.context import ContextScorer

db_url = store_fixtures.db_url  # a fresh database of each kind, as in the store tests
postgres_db = store_fixtures.postgres_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "server"


@pytest.fixture(scope="session")
def texts() -> dict[str, Any]:
    return json.loads((FIXTURES / "comments.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def scorer() -> ContextScorer:
    return ContextScorer.load()


@functools.cache
def password_hash(password: str) -> str:
    """argon2 is slow on purpose: hash each test password once per session, not once per test."""
    return PasswordHasher().hash(password)


def make_client(
    url: str, scorer: ContextScorer, policy: Path | None = None, secure_cookies: bool = False
) -> tuple[TestClient, dict[str, str]]:
    """An app on `url` with an admin and a moderator (password "<name>-password"), each with an API key
    holding every scope of its role, and a "site" key of the moderator's with the analyze scope only."""
    settings = Settings(
        db_url=url, secure_cookies=secure_cookies, policy_path=str(policy) if policy else None
    )
    app = create_app(settings, scorer=scorer)
    keys = {}
    with app.state.runtime.sessions.begin() as session:
        for name, role in (("admin", "admin"), ("mod", "moderator")):
            user = User(username=name, password_hash=password_hash(f"{name}-password"), role=role)
            session.add(user)
            session.flush()
            keys[name] = create_api_key(session, user, name, scopes=ROLE_SCOPES[role])
        keys["site"] = create_api_key(session, user, "site")
    return TestClient(app), keys


@pytest.fixture
def client_keys(db_url: str, scorer: ContextScorer) -> Iterator[tuple[TestClient, dict[str, str]]]:
    client, keys = make_client(db_url, scorer)
    with client:
        yield client, keys
    client.app.state.runtime.engine.dispose()


@pytest.fixture(scope="module")
def sqlite_client(
    tmp_path_factory: pytest.TempPathFactory, scorer: ContextScorer
) -> Iterator[tuple[TestClient, str]]:
    """One SQLite app for the contract tests that do not depend on the database."""
    client, keys = make_client(f"sqlite:///{tmp_path_factory.mktemp('db') / 'tg.db'}", scorer)
    with client:
        yield client, keys["mod"]
