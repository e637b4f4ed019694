"""Retention: delete stored comment texts older than a cutoff, keeping the audit log.

What goes: comments received before the cutoff (their scores, spans and moderation state are columns
of the same row), threads left without comments that were created before it (their article text and
url), and suggested-score feedback sent before it (it holds a comment's text too). What stays: the
audit log, append-only, whose entries keep the ids of the comments they were about (no foreign key
since migration 0003); the purge itself is audited with its counts. Plain SQL deletes, the same on
SQLite and PostgreSQL, in the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from threadguard.store import audit
from threadguard.store.schema import CommentRow, Feedback, ThreadRow, utcnow

AGE = re.compile(r"(\d{1,6})\s*([dw]?)")


def parse_age(text: str) -> timedelta:
    """ "90d", "12w" or "90" (days) as a timedelta; ValueError for anything else or zero."""
    match = AGE.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is no age: give days as 90d (or 90) or weeks as 12w, at least 1")
    amount = int(match.group(1))
    return timedelta(weeks=amount) if match.group(2) == "w" else timedelta(days=amount)


@dataclass(frozen=True)
class Purged:
    """What a purge deleted (or, as a dry run, would delete)."""

    cutoff: datetime
    comments: int
    threads: int
    feedback: int
    dry_run: bool

    def rows(self) -> list[tuple[str, int]]:
        return [("comments", self.comments), ("threads", self.threads), ("feedback", self.feedback)]


def purge(session: Session, older_than: timedelta, actor: str, dry_run: bool = False) -> Purged:
    """Delete what is older than `older_than` (see the module docstring) and audit it; a dry run
    counts the same rows and changes nothing. The caller commits."""
    cutoff = utcnow() - older_than
    old_comments = CommentRow.received_at < cutoff
    comments = session.scalar(select(func.count()).select_from(CommentRow).where(old_comments)) or 0
    # threads that will have no comment left: none now, or only old ones
    empty_thread = (
        ThreadRow.created_at < cutoff,
        ~exists().where(CommentRow.thread_id == ThreadRow.id, ~old_comments),
    )
    threads = session.scalar(select(func.count()).select_from(ThreadRow).where(*empty_thread)) or 0
    old_feedback = Feedback.at < cutoff
    feedback = session.scalar(select(func.count()).select_from(Feedback).where(old_feedback)) or 0
    result = Purged(cutoff, comments, threads, feedback, dry_run)
    if dry_run:
        return result
    session.execute(delete(CommentRow).where(old_comments))
    session.execute(delete(ThreadRow).where(*empty_thread))
    session.execute(delete(Feedback).where(old_feedback))
    audit.record(
        session, actor, "purge",
        detail={"cutoff": cutoff.isoformat(), "older_than_days": older_than / timedelta(days=1),
                **dict(result.rows())},
    )  # fmt: skip
    return result
