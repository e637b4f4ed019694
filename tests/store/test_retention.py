"""Retention on SQLite and PostgreSQL: old comments, emptied threads and old feedback go; the audit
log, newer comments and threads that still hold one stay; the purge is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.policy import Policy
from threadguard.store import audit
from threadguard.store.comments import add_api_comment, ingest_thread
from threadguard.store.decisions import decide
from threadguard.store.feedback import add_feedback
from threadguard.store.retention import parse_age, purge
from threadguard.store.schema import AuditEntry, CommentRow, Feedback, ThreadRow, utcnow
from threadguard.thread.model import Comment
from threadguard.thread.tree import make_thread

POLICY = Policy.load()


def _thread(session: Session, key: str, n: int) -> list[int]:
    thread = make_thread("jsonl", [Comment(f"{key}{i}", None, f"text {i}") for i in range(n)], id=key)
    scores = [score_of(THREAT=0.7) for _ in range(n)]
    decisions = [POLICY.decide(s.attributes) for s in scores]
    ingest_thread(session, thread, scores, decisions, "default", actor="tester", fallback_key=key)
    session.flush()
    return list(session.scalars(select(CommentRow.id).where(CommentRow.external_id.startswith(key))))


def _age(session: Session, ids: list[int], days: int) -> None:
    """Make comments (and their threads) look stored `days` ago."""
    then = utcnow() - timedelta(days=days)
    session.execute(update(CommentRow).where(CommentRow.id.in_(ids)).values(received_at=then))
    threads = select(CommentRow.thread_id).where(CommentRow.id.in_(ids))
    session.execute(update(ThreadRow).where(ThreadRow.id.in_(threads)).values(created_at=then))


@pytest.fixture
def stored(session: Session) -> dict[str, list[int]]:
    """An old thread, a thread with old and new comments, a new API comment, old and new feedback; the
    old comments decided (so the audit log refers to them)."""
    old = _thread(session, "old", 3)
    mixed = _thread(session, "mix", 2)
    new_api = [add_api_comment(session, "fresh", score_of(), POLICY.decide(score_of().attributes), "default")]
    _age(session, old, 120)
    _age(session, mixed[:1], 120)
    decide(session, [*old, mixed[0]], "reject", actor="mod", request_id="old-decision")
    add_feedback(session, "old suggestion", {"TOXICITY": 1.0})
    add_feedback(session, "new suggestion", {"TOXICITY": 0.0})
    session.flush()
    first_feedback = session.scalar(select(func.min(Feedback.id)))
    session.execute(
        update(Feedback).where(Feedback.id == first_feedback).values(at=utcnow() - timedelta(days=99))
    )
    session.commit()
    return {"old": old, "mixed": mixed, "new": new_api}


def test_a_dry_run_counts_and_changes_nothing(session: Session, stored) -> None:
    before = session.scalar(select(func.count()).select_from(CommentRow))
    purged = purge(session, timedelta(days=90), actor="cli", dry_run=True)
    session.commit()
    assert (purged.comments, purged.threads, purged.feedback) == (4, 1, 1)
    assert session.scalar(select(func.count()).select_from(CommentRow)) == before
    assert audit.entries(session, action="purge") == []


def test_purge_deletes_what_is_old_and_keeps_the_audit_log(session: Session, stored) -> None:
    audited = session.scalar(select(func.count()).select_from(AuditEntry))
    purged = purge(session, timedelta(days=90), actor="cli")
    session.commit()
    assert (purged.comments, purged.threads, purged.feedback) == (4, 1, 1)
    left = set(session.scalars(select(CommentRow.id)))
    assert left == {stored["mixed"][1], *stored["new"]}
    assert [t.external_id for t in session.scalars(select(ThreadRow))] == ["mix"]  # still holds a comment
    assert [f.text for f in session.scalars(select(Feedback))] == ["new suggestion"]
    # the decisions on purged comments are still in the log, with their ids, and the purge is too
    rejected = {e.comment_id for e in audit.entries(session, action="reject")}
    assert rejected == {*stored["old"], stored["mixed"][0]}
    [entry] = audit.entries(session, action="purge")
    assert (entry.actor, entry.detail["comments"], entry.detail["threads"], entry.detail["feedback"]) == (
        "cli", 4, 1, 1,
    )  # fmt: skip
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited + 1
    again = purge(session, timedelta(days=90), actor="cli")
    assert (again.comments, again.threads, again.feedback) == (0, 0, 0)


@pytest.mark.parametrize(("text", "days"), [("90d", 90), ("90", 90), ("12w", 84), (" 1D ", 1)])
def test_ages_are_days_or_weeks(text: str, days: int) -> None:
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "0d", "-5d", "3m", "90 days", "1e3", "9999999d"])
def test_other_ages_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="no age"):
        parse_age(text)
