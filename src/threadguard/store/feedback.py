"""Suggested scores (comments:suggestscore) kept as labelled examples for retraining, and the export
of every label the store holds: suggested scores and moderators' decisions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store.schema import CommentRow, Feedback


def add_feedback(
    session: Session,
    text: str,
    attribute_scores: dict[str, float],
    context: dict[str, Any] | None = None,
    languages: list[str] | None = None,
    community: str = "default",
    client_token: str | None = None,
    api_key_id: int | None = None,
) -> Feedback:
    row = Feedback(
        text=text, attribute_scores=attribute_scores, context=context or {}, languages=languages or [],
        community=community, client_token=client_token, api_key_id=api_key_id,
    )  # fmt: skip
    session.add(row)
    return row


def all_feedback(session: Session, limit: int = 1000) -> list[Feedback]:
    return list(session.scalars(select(Feedback).order_by(Feedback.id).limit(limit)))


def labelled_rows(session: Session) -> Iterator[dict[str, Any]]:
    """One dict per label: suggested scores (source "suggestscore", labels = the scores) and comments a
    moderator approved or rejected (source "moderator", labels = {"moderator": "approved" | "rejected"});
    the policy's own automatic decisions are not labels and are left out."""
    for row in session.scalars(select(Feedback).order_by(Feedback.id)):
        yield {"text": row.text, "labels": row.attribute_scores, "source": "suggestscore",
               "community": row.community, "client_token": row.client_token}  # fmt: skip
    decided = (
        select(CommentRow)
        .where(CommentRow.status.in_(("approved", "rejected")), CommentRow.decided_by.is_not(None))
        .where(CommentRow.decided_by != "policy")
        .order_by(CommentRow.id)
    )
    for comment in session.scalars(decided):
        yield {"text": comment.text, "labels": {"moderator": comment.status}, "source": "moderator",
               "community": comment.community, "client_token": None}  # fmt: skip
