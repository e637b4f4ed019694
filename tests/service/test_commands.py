from __future__ import annotations

from typer.testing import CliRunner

from threadguard.cli import app
from threadguard.store.database import head_revision, make_engine, session_factory
from threadguard.store.users import user_for_key

runner = CliRunner()


def test_admin_verbs_create_users_and_keys(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    assert "empty" in runner.invoke(app, ["db", "current", "--db", db]).output
    assert f"revision {head_revision()}" in runner.invoke(app, ["db", "upgrade", "--db", db]).output
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


def test_db_purge_prints_what_it_deletes_and_takes_the_retention_setting(tmp_path, monkeypatch) -> None:
    from datetime import timedelta

    from sqlalchemy import func, select, update

    from tests.store.scored import score_of
    from threadguard.policy import Policy
    from threadguard.store.comments import add_api_comment
    from threadguard.store.database import upgrade
    from threadguard.store.schema import CommentRow, utcnow

    db = f"sqlite:///{tmp_path / 'tg.db'}"
    engine = make_engine(db)
    upgrade(engine)
    decision = Policy.load().decide(score_of().attributes)
    with session_factory(engine).begin() as session:
        ids = [add_api_comment(session, f"comment {i}", score_of(), decision, "default") for i in range(5)]
        old = utcnow() - timedelta(days=100)
        session.execute(update(CommentRow).where(CommentRow.id.in_(ids[:3])).values(received_at=old))

    def count() -> int:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(CommentRow))

    dry = runner.invoke(app, ["db", "purge", "--older-than", "90d", "--dry-run", "--db", db])
    assert dry.exit_code == 0 and "would delete" in dry.output
    assert _table(dry.output) == {"comments": "3", "threads": "0", "feedback": "0"}
    assert count() == 5
    monkeypatch.delenv("THREADGUARD_RETENTION_DAYS", raising=False)
    unset = runner.invoke(app, ["db", "purge", "--db", db])
    assert unset.exit_code == 2 and "THREADGUARD_RETENTION_DAYS" in unset.output
    monkeypatch.setenv("THREADGUARD_RETENTION_DAYS", "ninety")
    assert runner.invoke(app, ["db", "purge", "--db", db]).exit_code == 2
    monkeypatch.setenv("THREADGUARD_RETENTION_DAYS", "90")
    done = runner.invoke(app, ["db", "purge", "--db", db])
    assert done.exit_code == 0 and "deleted" in done.output and "audit log is kept" in done.output
    assert _table(done.output)["comments"] == "3"
    assert count() == 2
    assert runner.invoke(app, ["db", "purge", "--older-than", "3 months", "--db", db]).exit_code == 2


def _table(output: str) -> dict[str, str]:
    """The rows of a printed rich table: first column -> second."""
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines() if "│" in line]
    return {row[0]: row[1] for row in cells if len(row) == 2}
