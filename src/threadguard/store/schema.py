"""The moderation store's tables. Alembic migrations in `store/migrations` create exactly these.

Scores live in one float column per attribute so that the queue, filters and statistics are plain SQL
on both SQLite and PostgreSQL; spans, targets and flags are JSON because nothing queries inside them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from threadguard.attributes import ATTRIBUTES

# What a comment's moderation state can be; "reported": published, then reported by a reader or a moderator.
STATUSES = ("pending", "escalated", "reported", "approved", "rejected")
ROLES = ("admin", "moderator")
# What an API key may do. analyze: comments:analyze and /api/v1/analyze without storing; ingest: store
# comments; moderate: read the queue and decide; admin: audit log, users, keys.
SCOPES = ("analyze", "ingest", "moderate", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def score_column(attribute: str) -> str:
    """Column name holding an attribute's probability, e.g. THREAT -> score_threat."""
    return f"score_{attribute.lower()}"


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiKey(Base):
    """A key for `?key=`; only its SHA-256 is stored (keys are 256-bit random, so no slow hash is needed)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scopes: Mapped[str] = mapped_column(String(128), default="analyze")  # space-separated, see SCOPES
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A moderator's login, held server-side so that logout and a password change end it; the cookie
    carries only a random token, stored here as its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ThreadRow(Base):
    """A page or topic. `key_hash` identifies it across re-ingests (source + its id, url or title)."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(Text)
    community: Mapped[str] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CommentRow(Base):
    """One scored comment with its policy action and its moderation state."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("thread_id", "external_id", name="uq_comments_thread_external"),
        Index("ix_comments_status_risk", "status", "risk"),  # the queue: one state, riskiest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    parent_external_id: Mapped[str | None] = mapped_column(String(255))
    origin: Mapped[str] = mapped_column(String(16))  # "api" (comments:analyze) or "ingest"
    community: Mapped[str] = mapped_column(String(128), index=True)
    author: Mapped[str | None] = mapped_column(String(255), index=True)
    text: Mapped[str] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer, default=1)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    score_toxicity: Mapped[float] = mapped_column(Float)
    score_severe_toxicity: Mapped[float] = mapped_column(Float)
    score_identity_attack: Mapped[float] = mapped_column(Float)
    score_insult: Mapped[float] = mapped_column(Float)
    score_profanity: Mapped[float] = mapped_column(Float)
    score_threat: Mapped[float] = mapped_column(Float)
    score_sexually_explicit: Mapped[float] = mapped_column(Float)
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    spans: Mapped[dict[str, Any]] = mapped_column(default=dict)
    context_effect: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[str] = mapped_column(String(64))
    risk: Mapped[float] = mapped_column(Float, index=True)  # severity-weighted, policy/risk.py
    policy_action: Mapped[str] = mapped_column(String(16))  # approve | review | reject
    policy_reasons: Mapped[list[Any]] = mapped_column(default=list)  # why: thresholds, words, author
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def scores(self) -> dict[str, float]:
        return {a: getattr(self, score_column(a)) for a in ATTRIBUTES}


class AuthorStanding(Base):
    """A moderator's action on an author in one community: banned, suspended (until a time),
    premoderated or trusted. One row per (community, author); the audit log keeps every change."""

    __tablename__ = "author_standings"
    __table_args__ = (UniqueConstraint("community", "author", name="uq_author_standings"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community: Mapped[str] = mapped_column(String(128))
    author: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WordEntry(Base):
    """A banned or suspect word of a community, added in the app (the policy file has its own lists)."""

    __tablename__ = "word_lists"
    __table_args__ = (UniqueConstraint("community", "kind", "word", name="uq_word_lists"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # banned | suspect
    word: Mapped[str] = mapped_column(String(100))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Append-only: who did what, when and why. `request_id` makes a retried action count once."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    # No foreign key: the log outlives the comments it describes (retention deletes them, not it).
    comment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class Feedback(Base):
    """Scores suggested through comments:suggestscore: labelled examples for retraining."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attribute_scores: Mapped[dict[str, Any]] = mapped_column()
    languages: Mapped[list[Any]] = mapped_column(default=list)
    community: Mapped[str] = mapped_column(String(128))
    client_token: Mapped[str | None] = mapped_column(String(255))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context: object, _instances: object) -> None:
    """Refuse to change or delete an audit entry through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry):
            raise PermissionError("the audit log is append-only")


FULL_TEXT = ("comments_fts", "ix_comments_text_fts")  # made by migration 0003 for SQLite / PostgreSQL


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Alembic's filter for comparing the database with these models: the full-text table (with FTS5's
    shadow tables) and index are the migration's own, not a model's."""
    return not (name and type_ in ("table", "index") and name.startswith(FULL_TEXT))
