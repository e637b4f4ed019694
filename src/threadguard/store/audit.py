"""The append-only audit log: every human or automatic action, with who, when, what and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store.schema import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    comment_id: int | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    """Add an entry to the caller's transaction, so that it commits together with what it describes."""
    entry = AuditEntry(
        actor=actor, action=action, comment_id=comment_id, reason=reason, detail=detail or {},
        request_id=request_id,
    )  # fmt: skip
    session.add(entry)
    return entry


def entries(
    session: Session,
    comment_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
    author: str | None = None,
) -> list[AuditEntry]:
    """Newest first. `author`: the actions on that author (bans, suspensions...)."""
    query = select(AuditEntry)
    if comment_id is not None:
        query = query.where(AuditEntry.comment_id == comment_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if author:
        about = AuditEntry.detail["author"].as_string() == author
        query = query.where(AuditEntry.action.startswith("author_"), about)
    query = query.order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000))).offset(max(0, offset))
    return list(session.scalars(query))
