"""CLI verbs of the server: `serve`, `db upgrade|current|purge`,
`users create|list|keys|set-password|create-key|revoke-key`.
Heavy imports happen inside the functions so that `threadguard --help` stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DbOption = Annotated[
    str,
    typer.Option("--db", help="database URL or SQLite file (postgresql://user:pw@host/db for PostgreSQL)"),
]
DEFAULT_DB = "sqlite:///threadguard.db"
PasswordOption = Annotated[
    str, typer.Option(prompt=True, confirmation_prompt=True, hide_input=True, help="at least 8 characters")
]

db_app = typer.Typer(no_args_is_help=True, help="Database schema migrations and retention.")
users_app = typer.Typer(no_args_is_help=True, help="Moderator accounts and API keys.")
feedback_app = typer.Typer(no_args_is_help=True, help="Labelled feedback: suggested scores, decisions.")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
    db: DbOption = DEFAULT_DB,
    policy: Annotated[
        str | None, typer.Option("--policy", help="policy TOML (default: news-site policy)")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="model artifact folder (default: shipped)")
    ] = None,
    tier: Annotated[
        str, typer.Option("--tier", help="fast, accurate or auto (fast, then accurate where unsure)")
    ] = "auto",
    workers: Annotated[int, typer.Option(help="server processes (each loads the model, ~1 per core)")] = 1,
    require_key: Annotated[bool, typer.Option(help="refuse comments:analyze without a valid ?key=")] = True,
    secure_cookies: Annotated[
        bool, typer.Option(help="session cookie over HTTPS only (off: plain-HTTP LAN)")
    ] = True,
    score_unsupported_languages: Annotated[
        bool,
        typer.Option(help="score comments:analyze in languages the model lacks as English (not 400)"),
    ] = False,
    coral_secret: Annotated[
        list[str] | None,
        typer.Option(
            "--coral-secret",
            help="signing secret of a Coral External Moderation Phase (repeat while rotating; "
            "default: $THREADGUARD_CORAL_SIGNING_SECRETS, comma-separated)",
        ),
    ] = None,
    mastodon_secret: Annotated[
        list[str] | None,
        typer.Option(
            "--mastodon-secret",
            help="secret of a Mastodon admin webhook (repeat for several; "
            "default: $THREADGUARD_MASTODON_WEBHOOK_SECRETS, comma-separated)",
        ),
    ] = None,
    mastodon_api_url: Annotated[
        str | None,
        typer.Option(
            help="Mastodon instance to file reports on, e.g. https://social.example "
            "(default: $THREADGUARD_MASTODON_API_URL)"
        ),
    ] = None,
    mastodon_api_token: Annotated[
        str | None,
        typer.Option(help="its access token, scope write:reports (default: $THREADGUARD_MASTODON_API_TOKEN)"),
    ] = None,
) -> None:
    """Serve the Perspective-compatible API, the native API (/docs) and the moderator app (/)."""
    import os

    import uvicorn

    from threadguard.policy import Policy
    from threadguard.server.settings import Settings
    from threadguard.store.database import make_engine, upgrade

    if tier not in ("fast", "accurate", "auto"):
        raise typer.BadParameter("one of fast, accurate, auto", param_hint="--tier")
    Policy.load(policy)  # a broken policy file fails here, once, with its message
    engine = make_engine(db)
    upgrade(engine)  # once, before the workers start
    engine.dispose()
    settings = Settings(
        db_url=db, policy_path=policy, model_path=model, tier=tier, require_api_key=require_key,
        secure_cookies=secure_cookies, migrate=False,
        coral_signing_secrets=",".join(coral_secret) if coral_secret else None,
        mastodon_webhook_secrets=",".join(mastodon_secret) if mastodon_secret else None,
        mastodon_api_url=mastodon_api_url, mastodon_api_token=mastodon_api_token,
        score_unsupported_languages=score_unsupported_languages,
    )  # fmt: skip
    if os.environ.get("THREADGUARD_SECRET_KEY"):
        settings.secret_key = os.environ["THREADGUARD_SECRET_KEY"]
    os.environ.update(settings.to_env())  # how the settings reach every worker process
    typer.echo(f"threadguard on http://{host}:{port}  (docs /docs, moderator app /, {workers} worker(s))")
    uvicorn.run(
        "threadguard.app:app_from_env", factory=True, host=host, port=port, workers=workers,
        access_log=False, log_level="warning", timeout_graceful_shutdown=5,
    )  # fmt: skip


@db_app.command("upgrade")
def db_upgrade(db: DbOption = DEFAULT_DB) -> None:
    """Apply the schema migrations (the server also does this when it starts)."""
    from threadguard.store.database import current_revision, make_engine, upgrade

    engine = make_engine(db)
    upgrade(engine)
    typer.echo(f"schema at revision {current_revision(engine)}")


@db_app.command("current")
def db_current(db: DbOption = DEFAULT_DB) -> None:
    """Show the schema revision of the database."""
    from threadguard.store.database import current_revision, make_engine

    typer.echo(current_revision(make_engine(db)) or "empty (run `threadguard db upgrade`)")


@db_app.command("purge")
def db_purge(
    older_than: Annotated[
        str | None,
        typer.Option(
            help="delete what is older than this: 90d (days) or 12w (weeks); default: the "
            "retention setting, THREADGUARD_RETENTION_DAYS"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="count what would go; delete nothing")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Retention: delete stored comments (with their scores and moderation state), emptied threads and
    suggested-score feedback older than the cutoff. The audit log is kept, and the purge is audited."""
    from datetime import timedelta

    from rich.console import Console
    from rich.table import Table

    from threadguard.server.settings import Settings
    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.retention import parse_age, purge

    try:
        if older_than is not None:
            age = parse_age(older_than)
        elif (days := Settings.from_env().retention_days) is not None:
            age = timedelta(days=days)
        else:
            raise ValueError("give --older-than (e.g. 90d) or set THREADGUARD_RETENTION_DAYS")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--older-than") from None
    engine = make_engine(db)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        purged = purge(session, age, actor="cli", dry_run=dry_run)
    verb = "would delete (dry run)" if dry_run else "deleted"
    table = Table("table", verb, title=f"received before {purged.cutoff:%Y-%m-%d %H:%M} UTC")
    for name, count in purged.rows():
        table.add_row(name, f"{count:,}")
    Console().print(table)
    if not dry_run:
        typer.echo("the audit log is kept; this purge is in it (action 'purge')")


@contextmanager
def account_change(db: str) -> Iterator[Session]:
    """A transaction on the migrated store for a `users` verb; a refused change (UserError) prints its
    reason and exits 2, with nothing written."""
    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.users import UserError

    engine = make_engine(db)
    upgrade(engine)
    try:
        with session_factory(engine).begin() as session:
            yield session
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help="admin or moderator")] = "moderator",
    password: PasswordOption = "",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Create a moderator account (password hashed with argon2id)."""
    from threadguard.store.users import create_user

    with account_change(db) as session:
        create_user(session, username, password, role)
    typer.echo(f"created {role} {username!r}")


@users_app.command("list")
def users_list(db: DbOption = DEFAULT_DB) -> None:
    """Show every account: id, role, active keys and when one was last used."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.users import list_users

    engine = make_engine(db)
    upgrade(engine)
    with session_factory(engine)() as session:
        users = list_users(session)
    table = Table("id", "user", "role", "created", "active keys", "key last used")
    for user in users:
        table.add_row(str(user.id), escape(user.username), user.role, _when(user.created_at),
                      str(user.active_keys), _when(user.last_used_at))  # fmt: skip
    Console().print(table)


@users_app.command("keys")
def users_keys(
    username: Annotated[str | None, typer.Argument(help="only this account's keys")] = None,
    revoked: Annotated[bool, typer.Option("--revoked", help="list revoked keys too")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show API keys (never their secrets): id, owner, scopes, creation and last use."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.users import list_keys

    engine = make_engine(db)
    upgrade(engine)
    with session_factory(engine)() as session:
        keys = list_keys(session, username, include_revoked=revoked)
    table = Table("id", "name", "user", "scopes", "created", "last used", "revoked")
    for key in keys:
        table.add_row(str(key.id), escape(key.name), escape(key.username), " ".join(key.scopes),
                      _when(key.created_at), _when(key.last_used_at), _when(key.revoked_at))  # fmt: skip
    Console().print(table)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@users_app.command("set-password")
def users_set_password(
    username: Annotated[str, typer.Argument(help="login name")],
    password: PasswordOption = "",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Set a new password; the account's login sessions end."""
    from threadguard.store.users import set_password

    with account_change(db) as session:
        set_password(session, username, password)
    typer.echo(f"password of {username!r} changed; its sessions have ended")


@users_app.command("create-key")
def users_create_key(
    username: Annotated[str, typer.Argument(help="the account the key acts as")],
    name: Annotated[str, typer.Option(help="what the key is for, e.g. the site")] = "default",
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="analyze (Perspective + /api/v1/analyze), ingest, moderate, admin; repeat or "
            "comma-separate. Default: analyze",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Create an API key for `?key=`; it is printed once and stored only as a hash."""
    from sqlalchemy import select

    from threadguard.store.schema import User
    from threadguard.store.users import DEFAULT_SCOPES, UserError, create_api_key

    scopes = [part for value in scope or DEFAULT_SCOPES for part in value.split(",")]
    with account_change(db) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UserError(f"no user {username!r}; create it with `threadguard users create`")
        typer.echo(create_api_key(session, user, name, scopes))


@users_app.command("revoke-key")
def users_revoke_key(
    key_id: Annotated[int, typer.Argument(help="the key's id (`threadguard users keys`)")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Revoke an API key; requests with it are refused from now on."""
    from threadguard.store.database import make_engine, session_factory
    from threadguard.store.users import revoke_api_key

    with session_factory(make_engine(db)).begin() as session:
        if not revoke_api_key(session, key_id, actor="cli"):
            typer.echo(f"error: no active key {key_id}", err=True)
            raise typer.Exit(2)
    typer.echo(f"revoked key {key_id}")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[str, typer.Option("--out", help="JSONL file to write, - for stdout")] = "-",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export every label (suggestscore feedback, moderators' decisions) as JSONL: text, labels, source,
    community."""
    import json
    import sys

    from threadguard.store.database import make_engine, session_factory
    from threadguard.store.feedback import labelled_rows

    target = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
    count = 0
    try:
        with session_factory(make_engine(db))() as session:
            for row in labelled_rows(session):
                target.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if target is not sys.stdout:
            target.close()
    typer.echo(f"exported {count} labelled rows", err=True)
