"""Moderation statistics: volume per day, and the share flagged per attribute per day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session

from threadguard.attributes import ATTRIBUTES
from threadguard.store.schema import CommentRow, score_column

FLAG_AT = 0.5  # an attribute counts as flagged from this probability, as the scorer's own flag does


def daily(
    session: Session, since: datetime | None = None, community: str | None = None
) -> list[dict[str, Any]]:
    """One row per day of posting: total comments, flagged count per attribute, decisions made."""
    day = func.date(CommentRow.posted_at)
    columns = [day.label("day"), func.count().label("total")]
    columns += [
        func.sum(cast(case((getattr(CommentRow, score_column(a)) >= FLAG_AT, 1), else_=0), Integer)).label(a)
        for a in ATTRIBUTES
    ]
    columns += [
        func.sum(cast(case((CommentRow.status == s, 1), else_=0), Integer)).label(s)
        for s in ("pending", "escalated", "approved", "rejected")
    ]
    query = select(*columns).group_by(day).order_by(day)
    if since is not None:
        query = query.where(CommentRow.posted_at >= since)
    if community:
        query = query.where(CommentRow.community == community)
    rows = []
    for row in session.execute(query).mappings():
        total = int(row["total"])
        rows.append(
            {
                "day": str(row["day"]),
                "total": total,
                "flagged": {a: int(row[a] or 0) for a in ATTRIBUTES},
                "flagged_share": {
                    a: round(int(row[a] or 0) / total, 4) if total else 0.0 for a in ATTRIBUTES
                },
                "by_status": {s: int(row[s] or 0) for s in ("pending", "escalated", "approved", "rejected")},
            }
        )
    return rows


def totals(session: Session) -> dict[str, int]:
    """Comments per moderation state."""
    counts = dict(session.execute(select(CommentRow.status, func.count()).group_by(CommentRow.status)).all())
    return {s: int(counts.get(s, 0)) for s in ("pending", "escalated", "approved", "rejected")}
