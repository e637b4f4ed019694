from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from tests.store.databases import migrated_engine
from threadguard.store.database import (
    current_revision,
    head_revision,
    make_engine,
    normalise_url,
    session_factory,
    upgrade,
)
from threadguard.store.schema import Base, include_name
from threadguard.store.users import hash_key, user_for_key


def test_migrations_create_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": include_name}), Base.metadata
        )
    assert differences == []
    assert current_revision(engine) == head_revision()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = migrated_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_urls_users_type_are_accepted() -> None:
    assert normalise_url("data/tg.db") == "sqlite:///data/tg.db"
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("sqlite:///a.db") == "sqlite:///a.db"


def test_keys_made_before_scopes_keep_what_their_owner_could_do(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id, username, password_hash, role, created_at) "
                                "VALUES (1, 'mod', 'x', 'moderator', '2026-01-01')"))  # fmt: skip
        connection.execute(text("INSERT INTO api_keys (name, key_hash, user_id, created_at) "
                                f"VALUES ('old', '{hash_key('tg_old')}', 1, '2026-01-01')"))  # fmt: skip
    upgrade(engine)
    with session_factory(engine).begin() as session:
        assert user_for_key(session, "tg_old").scopes == {"analyze", "ingest", "moderate"}
    engine.dispose()
