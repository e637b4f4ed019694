"""Moderator accounts (argon2id password hashes) and API keys (stored as SHA-256 digests only)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from threadguard.store import audit
from threadguard.store.schema import ROLES, SCOPES, ApiKey, LoginSession, User, utcnow

_hasher = PasswordHasher()
# Built once (SQLAlchemy caches the compiled form); each request only binds the key's hash.
KEY_OWNER = (
    select(User.username, User.role, ApiKey.id, ApiKey.scopes, ApiKey.last_used_at)
    .join(ApiKey, ApiKey.user_id == User.id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
)
SESSION_OWNER = (
    select(User.id, User.username, User.role)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        LoginSession.token_hash == bindparam("token_hash"),
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > bindparam("now"),
    )
)
KEY_PREFIX = "tg_"
# The scopes each role may hold: a moderator's key (or login) can never reach admin-only actions.
ROLE_SCOPES = {"admin": frozenset(SCOPES), "moderator": frozenset(SCOPES) - {"admin"}}
DEFAULT_SCOPES = ("analyze",)
LAST_USE_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most once a minute per key


class UserError(ValueError):
    """A bad username, role or password; nothing was changed."""


def create_user(session: Session, username: str, password: str, role: str, actor: str = "cli") -> User:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if not username or len(username) > 64:
        raise UserError("a username has 1 to 64 characters")
    if len(password) < 8:
        raise UserError("a password has at least 8 characters")
    if session.scalar(select(User.id).where(User.username == username)):
        raise UserError(f"user {username!r} already exists")
    user = User(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    audit.record(session, actor, "create_user", detail={"username": username, "role": role})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password matches; the hash is upgraded when argon2's parameters changed."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check: no user enumeration by timing
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def set_password(session: Session, username: str, password: str, actor: str = "cli") -> None:
    """A new password; every login session of the account ends with it."""
    if len(password) < 8:
        raise UserError("a password has at least 8 characters")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UserError(f"no user {username!r}")
    user.password_hash = _hasher.hash(password)
    ended = end_sessions(session, user.id)
    audit.record(session, actor, "set_password", detail={"username": username, "sessions_ended": ended})


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def parse_scopes(scopes: Iterable[str], role: str) -> tuple[str, ...]:
    """Validated scopes in SCOPES order; a scope the owner's role may not hold is refused."""
    wanted = {scope.strip().lower() for scope in scopes if scope.strip()} or set(DEFAULT_SCOPES)
    unknown = wanted - set(SCOPES)
    if unknown:
        raise UserError(f"unknown scope {sorted(unknown)[0]!r}; one of {', '.join(SCOPES)}")
    beyond = wanted - ROLE_SCOPES.get(role, frozenset())
    if beyond:
        raise UserError(f"a {role} cannot hold the {', '.join(sorted(beyond))} scope")
    return tuple(scope for scope in SCOPES if scope in wanted)


def create_api_key(
    session: Session, user: User, name: str, scopes: Iterable[str] = DEFAULT_SCOPES, actor: str = "cli"
) -> str:
    """A new key for `user` with `scopes` (default: analyze only); the plain key is returned once and
    never stored."""
    granted = parse_scopes(scopes, user.role)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name[:64], key_hash=hash_key(key), user_id=user.id, scopes=" ".join(granted))
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "create_api_key",
        detail={"key_id": row.id, "name": row.name, "user": user.username, "scopes": list(granted)},
    )  # fmt: skip
    return key


@dataclass(frozen=True)
class KeyOwner:
    username: str
    role: str
    key_id: int
    scopes: frozenset[str]


def user_for_key(session: Session, key: str, now: datetime | None = None) -> KeyOwner | None:
    """The key's owner and what the key may do (its scopes within its owner's role), or None for an
    unknown or revoked key. Plain columns, no ORM objects: this runs on every API request. Records the
    key's last use, at most once a minute (commit the session to keep it)."""
    row = session.execute(KEY_OWNER, {"key_hash": hash_key(key)}).first()
    if row is None:
        return None
    username, role, key_id, scopes, last_used = row
    now = now or utcnow()
    if last_used is None or _aware(last_used) < now - LAST_USE_RESOLUTION:
        session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))
    granted = frozenset(scopes.split()) & ROLE_SCOPES.get(role, frozenset())
    return KeyOwner(username, role, key_id, granted)


def _aware(value: datetime) -> datetime:
    """SQLite returns times without their zone; they are stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


@dataclass(frozen=True)
class SessionOwner:
    user_id: int
    username: str
    role: str


def start_session(session: Session, user_id: int, lifetime: timedelta) -> str:
    """A new login session; the returned token goes in the (signed) cookie and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=hash_key(token), user_id=user_id, expires_at=utcnow() + lifetime))
    return token


def user_for_session(session: Session, token: str) -> SessionOwner | None:
    """The account of a live login session: not logged out, not expired, password unchanged since."""
    row = session.execute(SESSION_OWNER, {"token_hash": hash_key(token), "now": utcnow()}).first()
    return SessionOwner(*row) if row else None


def end_session(session: Session, token: str) -> bool:
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == hash_key(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_sessions(session: Session, user_id: int) -> int:
    """End every live login session of an account (password change); how many were ended."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class UserSummary:
    id: int
    username: str
    role: str
    created_at: datetime
    active_keys: int
    last_used_at: datetime | None


def list_users(session: Session) -> list[UserSummary]:
    """Every account with its number of active keys and the last time one of them was used."""
    active = ApiKey.revoked_at.is_(None)
    rows = session.execute(
        select(
            User.id,
            User.username,
            User.role,
            User.created_at,
            func.count(ApiKey.id),
            func.max(ApiKey.last_used_at),
        )
        .outerjoin(ApiKey, (ApiKey.user_id == User.id) & active)
        .group_by(User.id, User.username, User.role, User.created_at)
        .order_by(User.id)
    ).all()
    return [UserSummary(*row) for row in rows]


@dataclass(frozen=True)
class KeySummary:
    id: int
    name: str
    username: str
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def list_keys(
    session: Session, username: str | None = None, include_revoked: bool = False
) -> list[KeySummary]:
    """API keys (never their secrets) with owner, scopes and last use; optionally one account's."""
    query = (
        select(
            ApiKey.id,
            ApiKey.name,
            User.username,
            ApiKey.scopes,
            ApiKey.created_at,
            ApiKey.last_used_at,
            ApiKey.revoked_at,
        )
        .join(User, ApiKey.user_id == User.id)
        .order_by(ApiKey.id)
    )
    if username is not None:
        query = query.where(User.username == username)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return [
        KeySummary(id_, name, owner, tuple(scopes.split()), created, used, revoked)
        for id_, name, owner, scopes, created, used, revoked in session.execute(query)
    ]


def revoke_api_key(session: Session, key_id: int, actor: str) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record(session, actor, "revoke_api_key", detail={"key_id": key_id})
    return True
