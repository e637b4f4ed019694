from __future__ import annotations

from typer.testing import CliRunner

from threadguard.cli import app
from threadguard.store.database import make_engine, session_factory
from threadguard.store.users import user_for_key

runner = CliRunner()


def test_admin_verbs_create_users_and_keys(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    assert "empty" in runner.invoke(app, ["db", "current", "--db", db]).output
    assert "revision 0003" in runner.invoke(app, ["db", "upgrade", "--db", db]).output
    made = runner.invoke(
        app, ["users", "create", "alice", "--role", "admin", "--password", "long-password", "--db", db]
    )
    assert made.exit_code == 0 and "created admin 'alice'" in made.output
    again = runner.invoke(app, ["users", "create", "alice", "--password", "long-password", "--db", db])
    assert again.exit_code == 2 and "already exists" in again.output
    key = runner.invoke(app, ["users", "create-key", "alice", "--name", "site", "--db", db]).output.strip()
    with session_factory(make_engine(db))() as session:
        owner = user_for_key(session, key)
    assert (owner.username, owner.role) == ("alice", "admin")
    assert runner.invoke(app, ["users", "revoke-key", str(owner.key_id), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["users", "create-key", "bob", "--db", db]).exit_code == 2
