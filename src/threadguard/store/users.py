"""Moderator accounts (argon2id password hashes) and API keys (stored as SHA-256 digests only)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadguard.store import audit
from threadguard.store.schema import ROLES, ApiKey, User, utcnow

_hasher = PasswordHasher()
# Built once (SQLAlchemy caches the compiled form); each request only binds the key's hash.
KEY_OWNER = (
    select(User.username, User.role, ApiKey.id)
    .join(ApiKey, ApiKey.user_id == User.id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
)
KEY_PREFIX = "tg_"


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


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def create_api_key(session: Session, user: User, name: str, actor: str = "cli") -> str:
    """A new key for `user`; the plain key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name[:64], key_hash=hash_key(key), user_id=user.id)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "create_api_key", detail={"key_id": row.id, "name": row.name, "user": user.username}
    )
    return key


@dataclass(frozen=True)
class KeyOwner:
    username: str
    role: str
    key_id: int


def user_for_key(session: Session, key: str) -> KeyOwner | None:
    """The key's owner, or None for an unknown or revoked key. Plain columns, no ORM objects: this
    runs on every API request."""
    row = session.execute(KEY_OWNER, {"key_hash": hash_key(key)}).first()
    return KeyOwner(*row) if row else None


def revoke_api_key(session: Session, key_id: int, actor: str) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record(session, actor, "revoke_api_key", detail={"key_id": key_id})
    return True


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
