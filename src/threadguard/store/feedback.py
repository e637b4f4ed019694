"""Suggested scores (comments:suggestscore) kept as labelled examples for retraining."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store.schema import Feedback


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
