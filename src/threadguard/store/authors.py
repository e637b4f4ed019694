"""Authors per community: a moderator's standing (ban, suspend, premoderate, trust), audited, and each
author's record (comments, rejected) as the queue shows it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from threadguard.policy import AUTHOR_STATUSES, Standing
from threadguard.store import audit
from threadguard.store.schema import AuthorStanding, CommentRow, utcnow

CLEAR = "clear"  # the action that removes a standing
AUTHOR_ACTIONS = {"ban": "banned", "suspend": "suspended", "premoderate": "premoderated", "trust": "trusted"}
# Built once (standings runs on every stored comment): each call only binds its values.
STANDINGS = select(
    AuthorStanding.author, AuthorStanding.status, AuthorStanding.until, AuthorStanding.reason
).where(
    AuthorStanding.community == bindparam("community"),
    AuthorStanding.author.in_(bindparam("names", expanding=True)),
)
APPROVED_COUNTS = (
    select(CommentRow.author, func.count())
    .where(
        CommentRow.community == bindparam("community"),
        CommentRow.author.in_(bindparam("names", expanding=True)),
        CommentRow.status == "approved",
    )
    .group_by(CommentRow.author)
)


class AuthorError(ValueError):
    """An unknown action, a suspension without a future end; nothing was changed."""


def set_standing(
    session: Session,
    community: str,
    author: str,
    action: str,
    actor: str,
    reason: str | None = None,
    until: datetime | None = None,
) -> AuthorStanding | None:
    """Ban, suspend (until `until`), premoderate, trust or clear an author in a community, audited as
    `author_<action>` in the caller's transaction. Returns the standing, None once cleared."""
    if action != CLEAR and action not in AUTHOR_ACTIONS:
        raise AuthorError(f"unknown author action {action!r}; one of {', '.join([*AUTHOR_ACTIONS, CLEAR])}")
    if action == "suspend" and (until is None or until <= utcnow()):
        raise AuthorError("a suspension needs an end in the future")
    row = session.scalar(
        select(AuthorStanding).where(AuthorStanding.community == community, AuthorStanding.author == author)
    )
    before = row.status if row else None
    detail = {"community": community, "author": author, "from": before}
    if action == CLEAR:
        if row is not None:
            session.delete(row)
        audit.record(session, actor, "author_clear", reason=reason, detail=detail | {"to": None})
        return None
    if row is None:
        row = AuthorStanding(community=community, author=author)
        session.add(row)
    row.status, row.until = AUTHOR_ACTIONS[action], until if action == "suspend" else None
    row.reason, row.set_by, row.set_at = reason, actor, utcnow()
    detail |= {"to": row.status, "until": until.isoformat() if row.until and until else None}
    audit.record(session, actor, f"author_{action}", reason=reason, detail=detail)
    return row


def standings(
    session: Session, community: str, authors: Iterable[str], count_approved: bool = True
) -> dict[str, Standing]:
    """What the policy needs to know about each of these authors in `community`: their standing and
    how many of their comments there were approved. `count_approved=False` leaves the count at 0 for
    a community that does not premoderate new authors: SQLite answers it from the status index, over
    every approved comment in the store, on each stored comment."""
    names = list({a for a in authors if a})
    if not names:
        return {}
    values = {"community": community, "names": names}
    rows = {r.author: r for r in session.execute(STANDINGS, values)}
    approved: dict[str | None, int] = {}
    if count_approved:
        approved = {author: int(n) for author, n in session.execute(APPROVED_COUNTS, values)}
    result = {}
    for name in names:
        row = rows.get(name)
        status = row.status if row and row.status in AUTHOR_STATUSES else None
        result[name] = Standing(
            status=status, until=row.until if row else None, reason=row.reason if row else None,
            approved=approved.get(name, 0),
        )  # fmt: skip
    return result


def standings_of(session: Session, author: str) -> list[AuthorStanding]:
    """An author's standing in every community where a moderator set one."""
    return list(
        session.scalars(
            select(AuthorStanding).where(AuthorStanding.author == author).order_by(AuthorStanding.community)
        )
    )


def records(session: Session, authors: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(comments, rejected comments) of each author, for the queue's rows."""
    names = list({a for a in authors if a})
    if not names:
        return {}
    rejected = func.sum(case((CommentRow.status == "rejected", 1), else_=0))
    query = (
        select(CommentRow.author, func.count(), rejected)
        .where(CommentRow.author.in_(names))
        .group_by(CommentRow.author)
    )
    return {author: (int(n), int(r or 0)) for author, n, r in session.execute(query)}
