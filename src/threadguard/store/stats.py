"""Moderation statistics: volume per day, and the share flagged per attribute per day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session

from threadguard.attributes import ATTRIBUTES
from threadguard.store.schema import STATUSES, CommentRow, score_column


def daily(
    session: Session,
    thresholds: Mapping[str, float],
    since: datetime | None = None,
    community: str | None = None,
) -> list[dict[str, Any]]:
    """One row per day of posting: total comments, flagged count per attribute (at the scorer's flag
    `thresholds`), decisions made."""
    day = func.date(CommentRow.posted_at)
    columns = [day.label("day"), func.count().label("total")]
    columns += [
        _count_where(getattr(CommentRow, score_column(a)) >= thresholds[a]).label(a) for a in ATTRIBUTES
    ]
    columns += [_count_where(CommentRow.status == s).label(s) for s in STATUSES]
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
                "by_status": {s: int(row[s] or 0) for s in STATUSES},
            }
        )
    return rows


def _count_where(condition: Any) -> Any:
    return func.sum(cast(case((condition, 1), else_=0), Integer))


def totals(session: Session) -> dict[str, int]:
    """Comments per moderation state."""
    counts = dict(session.execute(select(CommentRow.status, func.count()).group_by(CommentRow.status)).all())
    return {s: int(counts.get(s, 0)) for s in STATUSES}
