from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.store.databases import KINDS, fresh_url, migrated_engine, postgres_database
from threadguard.store.database import session_factory


@pytest.fixture(scope="session")
def postgres_db(request: pytest.FixtureRequest) -> Iterator[str]:
    server = request.getfixturevalue("postgres_url")  # skips when no PostgreSQL server is configured
    with postgres_database(server) as url:
        yield url


@pytest.fixture(params=KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    postgres = request.getfixturevalue("postgres_db") if request.param == "postgresql" else None
    return fresh_url(request.param, tmp_path, postgres)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = migrated_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session
