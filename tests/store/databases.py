"""A fresh, migrated database of either kind for each test: a SQLite file, or an empty schema in a
PostgreSQL database of its own (created once per test session and dropped after)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from threadguard.store.database import make_engine, normalise_url, upgrade

KINDS = ("sqlite", "postgresql")


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A database of our own on the test server, so that parallel users of it never collide."""
    url = make_url(normalise_url(server_url))
    name = f"tg_test_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_url(kind: str, tmp_path: Path, postgres_db: str | None) -> str:
    """An empty database of `kind`, not yet migrated."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'threadguard.db'}"
    assert postgres_db is not None
    engine = create_engine(postgres_db, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres_db


def migrated_engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine
