"""Moderators' decisions: change a comment's state and audit it in one transaction, exactly once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store import audit
from threadguard.store.schema import AuditEntry, CommentRow, utcnow

ACTIONS = {
    "approve": "approved", "reject": "rejected", "escalate": "escalated", "reopen": "pending",
    "report": "reported",  # a published comment a reader or moderator reported: back in the queue
}  # fmt: skip
UNDO = "undo"  # puts each comment back in the state before its last decision


class DecisionError(ValueError):
    """An unknown action or comment; nothing was changed."""


def decide(
    session: Session,
    comment_ids: Sequence[int],
    action: str,
    actor: str,
    reason: str | None = None,
    request_id: str | None = None,
) -> tuple[list[CommentRow], bool]:
    """Apply `action` to every comment (all or none) and audit each; returns (comments, applied).

    A retry with the same `request_id` (a client that lost the response, a server killed before it
    answered) changes nothing and returns applied=False, so a decision is never recorded twice."""
    if action not in ACTIONS and action != UNDO:
        raise DecisionError(f"unknown action {action!r}; one of {', '.join([*ACTIONS, UNDO])}")
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise DecisionError("no comment ids given")
    rows = {row.id: row for row in session.scalars(select(CommentRow).where(CommentRow.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise DecisionError(f"no comments with ids {missing[:10]}")
    if request_id is not None and session.scalar(
        select(AuditEntry.id).where(AuditEntry.request_id == _entry_request_id(request_id, ids[0]))
    ):
        return [rows[i] for i in ids], False
    targets: dict[int, tuple[str, int | None]] = (
        dict(_undo_targets(session, ids)) if action == UNDO else dict.fromkeys(ids, (ACTIONS[action], None))
    )
    now = utcnow()
    for comment_id in ids:
        row = rows[comment_id]
        before = row.status
        status, undone = targets[comment_id]
        row.status, row.decided_by, row.decided_at = status, actor, now
        detail: dict[str, object] = {"from": before, "to": row.status}
        if undone is not None:
            detail["undoes"] = undone
        audit.record(
            session, actor, action, comment_id=comment_id, reason=reason, detail=detail,
            request_id=_entry_request_id(request_id, comment_id) if request_id else None,
        )  # fmt: skip
    return [rows[i] for i in ids], True


def _undo_targets(session: Session, ids: list[int]) -> dict[int, tuple[str, int]]:
    """For each comment, the state before its last decision and that decision's audit id. One level
    only: a comment whose last decision is an undo, or that no person decided, has nothing to undo."""
    targets = {}
    for comment_id in ids:
        last = session.scalar(
            select(AuditEntry)
            .where(AuditEntry.comment_id == comment_id, AuditEntry.action.in_([*ACTIONS, UNDO]))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        if last is None or last.action == UNDO or not last.detail.get("from"):
            raise DecisionError(f"nothing to undo on comment {comment_id}")
        targets[comment_id] = (str(last.detail["from"]), last.id)
    return targets


def _entry_request_id(request_id: str, comment_id: int) -> str:
    return f"{request_id[:40]}#{comment_id}"
