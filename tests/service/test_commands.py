from __future__ import annotations

from typer.testing import CliRunner

from threadguard.cli import app
from threadguard.store.database import make_engine, session_factory
from threadguard.store.users import user_for_key

runner = CliRunner()


def test_admin_verbs_create_users_and_keys(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    assert "empty" in runner.invoke(app, ["db", "current", "--db", db]).output
    assert "revision 0002" in runner.invoke(app, ["db", "upgrade", "--db", db]).output
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


def test_keys_get_scopes_and_users_and_keys_are_listed(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    runner.invoke(
        app, ["users", "create", "mo", "--role", "moderator", "--password", "long-password", "--db", db]
    )
    site = runner.invoke(app, ["users", "create-key", "mo", "--name", "site", "--db", db]).output.strip()
    both = runner.invoke(
        app, ["users", "create-key", "mo", "--name", "desk", "--scope", "moderate,ingest", "--db", db]
    ).output.strip()
    refused = runner.invoke(app, ["users", "create-key", "mo", "--scope", "admin", "--db", db])
    assert refused.exit_code == 2 and "cannot hold the admin scope" in refused.output
    unknown = runner.invoke(app, ["users", "create-key", "mo", "--scope", "root", "--db", db])
    assert unknown.exit_code == 2 and "unknown scope 'root'" in unknown.output
    with session_factory(make_engine(db)).begin() as session:
        assert user_for_key(session, site).scopes == {"analyze"}
        assert user_for_key(session, both).scopes == {"ingest", "moderate"}
    keys = runner.invoke(app, ["users", "keys", "--db", db], env={"COLUMNS": "200"}).output
    assert "site" in keys and "desk" in keys and "ingest moderate" in keys and site not in keys
    listed = runner.invoke(app, ["users", "list", "--db", db], env={"COLUMNS": "200"}).output
    assert "mo" in listed and "moderator" in listed and " 2 " in listed  # two active keys, last use shown
    assert (
        runner.invoke(app, ["users", "set-password", "mo", "--password", "short", "--db", db]).exit_code == 2
    )
