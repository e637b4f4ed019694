"""The append-only audit log: every human or automatic action, with who, when, what and why."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from threadguard.store.schema import AuditEntry

INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))


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


def record_now(session: Session, actor: str, action: str, detail: dict[str, Any]) -> None:
    """`record` as one prepared INSERT, run at once in the caller's transaction: for paths that run on
    every stored comment, where building and flushing an ORM object cost more than the INSERT itself."""
    session.execute(INSERT_ENTRY, {"actor": actor, "action": action, "detail": detail})


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
