"""Scored comments in and out of the store: save from the API or an ingested thread, the moderation
queue with its filters, one comment with its context, an author's history."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, insert, or_, select
from sqlalchemy.orm import Session

from threadguard.attributes import ATTRIBUTES
from threadguard.policy import Decision
from threadguard.scores import CommentScore
from threadguard.store import audit, search
from threadguard.store.schema import STATUSES, CommentRow, ThreadRow, score_column, utcnow
from threadguard.thread.model import Thread

QUEUE_STATUSES = ("pending", "escalated")
# Built once: SQLAlchemy compiles and caches it, and each request only binds its values.
COMMENTS, THREADS = cast(Table, CommentRow.__table__), cast(Table, ThreadRow.__table__)
INSERT_COMMENTS = insert(COMMENTS)
INSERT_COMMENT = INSERT_COMMENTS.returning(COMMENTS.c.id)
INSERT_THREAD = insert(THREADS).returning(THREADS.c.id)
THREAD_ID = select(ThreadRow.id).where(ThreadRow.key_hash == bindparam("key"))
THREAD_COMMENT_IDS = select(CommentRow.external_id).where(CommentRow.thread_id == bindparam("thread"))
KNOWN_COMMENT_IDS = THREAD_COMMENT_IDS.where(CommentRow.external_id.in_(bindparam("ids", expanding=True)))
# a thread's title and article with one of its comments (the parent of a reply), in one statement
THREAD_CONTEXT = (
    select(ThreadRow.title, ThreadRow.article, CommentRow.text, CommentRow.author, CommentRow.depth)
    .outerjoin(
        CommentRow,
        and_(CommentRow.thread_id == ThreadRow.id, CommentRow.external_id == bindparam("parent")),
    )
    .where(ThreadRow.key_hash == bindparam("key"))
)
MAX_PAGE = 500
LOOKUP_IDS = 500  # ingest_thread asks for at most this many ids by name, else reads the thread's ids


SORTS = ("risk", "newest", "oldest")
TIERS = ("fast", "accurate")
ACCURATE_MARK = "+enc-"  # in the model version of a comment the accurate tier decided (README, Tiers)
TARGET_MIN = 0.5  # a comment "targets" a group from this probability on


@dataclass
class QueueFilters:
    """What the moderation queue shows. `attribute` keeps comments whose score for it is at least
    `min_score` and orders by that score; otherwise `min_score` applies to the risk, and the order is
    `sort`: riskiest first, newest or oldest first. `search` is full-text (store/search.py)."""

    statuses: Sequence[str] = QUEUE_STATUSES
    attribute: str | None = None
    min_score: float = 0.0
    community: str | None = None
    thread_id: int | None = None
    author: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    target: str | None = None  # a target group, e.g. religion
    language: str | None = None
    tier: str | None = None  # fast | accurate
    search: str | None = None
    sort: str = "risk"
    limit: int = 50
    offset: int = 0


@dataclass
class ThreadIngest:
    thread_id: int
    new: int
    existing: int


def score_values(score: CommentScore | None, decision: Decision) -> dict[str, Any]:
    """The comment columns that come from scoring and policy; `score` is None for a comment with no
    text left to score (a deleted one), which is kept with zero scores."""
    attributes = score.attributes if score else dict.fromkeys(ATTRIBUTES, 0.0)
    values: dict[str, Any] = {score_column(a): attributes[a] for a in ATTRIBUTES}
    line = score.to_line() if score else {"targets": {}, "spans": {}}
    values.update(
        targets=line["targets"],
        spans=line["spans"],
        context_effect=line.get("context_effect", {}),
        language=score.language if score else "und",
        model_version=score.model if score else "",
        risk=decision.risk,
        policy_action=decision.action,
        policy_reasons=decision.reasons,
        status=decision.status,
    )
    if decision.action != "review":
        values.update(decided_by="policy", decided_at=utcnow())
    return values


def add_api_comment(
    session: Session, text: str, score: CommentScore, decision: Decision, community: str
) -> int:
    """A comment received through comments:analyze (not for doNotStore requests). A prepared INSERT,
    not the ORM's unit of work: this runs on every stored API request."""
    now = utcnow()
    values = {
        "origin": "api", "community": community, "text": text, "depth": 1, "flags": [], "posted_at": now,
        "received_at": now, "decided_by": None, "decided_at": None, **score_values(score, decision),
    }  # fmt: skip
    return session.execute(INSERT_COMMENT, values).scalar_one()


def thread_key(thread: Thread, fallback: str) -> str:
    """Identifies a thread across re-ingests of the same export: source plus id, url, title or `fallback`."""
    key = thread.id or thread.url or thread.title or fallback
    return hashlib.sha256(f"{thread.source}\0{key}".encode()).hexdigest()


def ingest_thread(
    session: Session,
    thread: Thread,
    scores: Sequence[CommentScore | None],
    decisions: Sequence[Decision],
    community: str,
    actor: str,
    fallback_key: str,
) -> ThreadIngest:
    """Store a thread's comments that are not stored yet, in the caller's transaction, with one audit
    entry. Re-ingesting the same export adds nothing: comments are keyed by (thread, comment id).
    Prepared Core statements, not the ORM's unit of work: Coral's phase stores every comment this way,
    and building, flushing and tracking ORM rows was most of a one-comment ingest's time."""
    key = thread_key(thread, fallback_key)
    thread_id = session.scalar(THREAD_ID, {"key": key})
    if thread_id is None:
        thread_id = session.execute(INSERT_THREAD, {
            "key_hash": key, "source": thread.source, "external_id": thread.id, "url": thread.url,
            "title": thread.title, "article": thread.article, "community": community,
        }).scalar_one()  # fmt: skip
    if len(thread.comments) <= LOOKUP_IDS:  # a reply or a small batch: look up only its ids, not the story's
        ids = list({c.id for c in thread.comments})
        stored = set(session.scalars(KNOWN_COMMENT_IDS, {"thread": thread_id, "ids": ids}))
    else:
        stored = set(session.scalars(THREAD_COMMENT_IDS, {"thread": thread_id}))
    now = utcnow()
    rows = []
    for comment, score, decision in zip(thread.comments, scores, decisions, strict=True):
        if comment.id in stored:
            continue
        rows.append({
            "thread_id": thread_id, "external_id": comment.id, "parent_external_id": comment.parent_id,
            "origin": "ingest", "community": community, "author": comment.author, "text": comment.text,
            "depth": comment.depth, "flags": sorted(comment.flags),
            "posted_at": parse_time(comment.created) or now, "received_at": now,
            "decided_by": None, "decided_at": None,  # every row of one INSERT has the same columns
            **score_values(score, decision),
        })  # fmt: skip
        stored.add(comment.id)
    if rows:
        session.execute(INSERT_COMMENTS, rows)
    existing = len(thread.comments) - len(rows)
    audit.record_now(
        session, actor, "ingest_thread",
        detail={"thread_id": thread_id, "source": thread.source, "new": len(rows), "existing": existing},
    )  # fmt: skip
    return ThreadIngest(thread_id=thread_id, new=len(rows), existing=existing)


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time from a source, as UTC; None when absent, unreadable or outside what UTC can hold
    (a time at the year-1 or year-9999 limit whose zone pushes it past the edge): the comment is kept."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _conditions(session: Session, filters: QueueFilters) -> list[ColumnElement[bool]]:
    """Every filter but the statuses, as SQL conditions."""
    where: list[ColumnElement[bool]] = []
    if filters.attribute:
        where.append(getattr(CommentRow, score_column(filters.attribute)) >= filters.min_score)
    elif filters.min_score:
        where.append(CommentRow.risk >= filters.min_score)
    if filters.community:
        where.append(CommentRow.community == filters.community)
    if filters.thread_id is not None:
        where.append(CommentRow.thread_id == filters.thread_id)
    if filters.author:
        where.append(CommentRow.author == filters.author)
    if filters.since:
        where.append(CommentRow.posted_at >= filters.since)
    if filters.until:
        where.append(CommentRow.posted_at < filters.until)
    if filters.target:
        where.append(CommentRow.targets[filters.target].as_float() >= TARGET_MIN)
    if filters.language:
        where.append(CommentRow.language == filters.language)
    if filters.tier == "accurate":
        where.append(CommentRow.model_version.contains(ACCURATE_MARK, autoescape=True))
    elif filters.tier == "fast":
        where.append(~CommentRow.model_version.contains(ACCURATE_MARK, autoescape=True))
    if filters.search:
        where.append(search.matches(session, filters.search))
    return where


def queue(session: Session, filters: QueueFilters) -> list[CommentRow]:
    """Comments awaiting moderation (or any statuses asked for), riskiest first unless sorted by time.

    The page's ids are chosen first and only their rows are read: sorting every matching row whole
    (text, spans) made a deep page of 10,000 pending comments, newest first, take 200 ms on SQLite;
    sorting their keys takes a tenth of that (bench/bench_queue.py)."""
    where = [CommentRow.status.in_(filters.statuses), *_conditions(session, filters)]
    order: list[Any]
    if filters.sort == "newest":
        order = [CommentRow.posted_at.desc(), CommentRow.id.desc()]
    elif filters.sort == "oldest":
        order = [CommentRow.posted_at, CommentRow.id]
    else:
        score = getattr(CommentRow, score_column(filters.attribute)) if filters.attribute else CommentRow.risk
        order = [score.desc(), CommentRow.id]
    limit = max(1, min(filters.limit, MAX_PAGE))
    page = select(CommentRow.id).where(*where).order_by(*order).limit(limit).offset(max(0, filters.offset))
    return list(session.scalars(select(CommentRow).where(CommentRow.id.in_(page)).order_by(*order)))


def status_counts(session: Session, filters: QueueFilters) -> dict[str, int]:
    """How many comments each state holds under the same filters: the queue's tabs."""
    query = (
        select(CommentRow.status, func.count())
        .where(*_conditions(session, filters))
        .group_by(CommentRow.status)
    )
    counts = {status: int(n) for status, n in session.execute(query)}
    return {s: counts.get(s, 0) for s in STATUSES}


def parents_of(session: Session, comments: Sequence[CommentRow]) -> dict[int, CommentRow]:
    """The parent of each comment that has one stored, by the child's id (one query for a page)."""
    wanted = {(c.thread_id, c.parent_external_id) for c in comments if c.thread_id and c.parent_external_id}
    if not wanted:
        return {}
    found = session.scalars(
        select(CommentRow).where(
            CommentRow.thread_id.in_({t for t, _ in wanted}),
            CommentRow.external_id.in_({e for _, e in wanted}),
        )
    )
    by_key = {(p.thread_id, p.external_id): p for p in found}
    return {
        c.id: by_key[(c.thread_id, c.parent_external_id)]
        for c in comments
        if (c.thread_id, c.parent_external_id) in by_key
    }


def threads_of(session: Session, comments: Sequence[CommentRow]) -> dict[int, ThreadRow]:
    ids = {c.thread_id for c in comments if c.thread_id is not None}
    return {t.id: t for t in session.scalars(select(ThreadRow).where(ThreadRow.id.in_(ids)))} if ids else {}


def next_in_queue(session: Session, comment: CommentRow) -> CommentRow | None:
    """The comment after this one in the default queue (pending and escalated, riskiest first), or
    the riskiest waiting one when this one is no longer waiting."""
    query = select(CommentRow).where(CommentRow.status.in_(QUEUE_STATUSES), CommentRow.id != comment.id)
    if comment.status in QUEUE_STATUSES:
        query = query.where(
            or_(
                CommentRow.risk < comment.risk,
                and_(CommentRow.risk == comment.risk, CommentRow.id > comment.id),
            )
        )
    return session.scalar(query.order_by(CommentRow.risk.desc(), CommentRow.id).limit(1))


def recent_threads(session: Session, limit: int = 200) -> list[ThreadRow]:
    """Stories for the queue's story filter, newest first."""
    return list(session.scalars(select(ThreadRow).order_by(ThreadRow.id.desc()).limit(limit)))


def get_comment(session: Session, comment_id: int) -> CommentRow | None:
    return session.get(CommentRow, comment_id)


def get_thread(session: Session, thread_id: int | None) -> ThreadRow | None:
    return session.get(ThreadRow, thread_id) if thread_id is not None else None


@dataclass(frozen=True)
class StoredContext:
    """What the store holds around a new comment: its thread's title and article, and its parent."""

    title: str | None
    article: str | None
    parent_text: str | None  # None: the parent is not stored (or there is none)
    parent_author: str | None
    parent_depth: int


def stored_context(
    session: Session, thread: Thread, fallback: str, parent_id: str | None
) -> StoredContext | None:
    """The stored thread of `thread` (the key ingest_thread gives it) with the comment `parent_id` in it;
    None when the thread is not stored."""
    row = session.execute(THREAD_CONTEXT, {"key": thread_key(thread, fallback), "parent": parent_id}).first()
    if row is None:
        return None
    title, article, text, author, depth = row
    return StoredContext(title, article, text, author, depth or 0)


def thread_comment(session: Session, thread_id: int, external_id: str) -> CommentRow | None:
    """A thread's comment by the source's own id."""
    return session.scalar(
        select(CommentRow).where(CommentRow.thread_id == thread_id, CommentRow.external_id == external_id)
    )


def thread_of_comment(session: Session, source: str, community: str, external_id: str) -> ThreadRow | None:
    """The thread of a source and community that holds the comment with this id of the source's own, for
    sources whose ids are unique across threads (Mastodon's status ids); None when none does."""
    return session.scalar(
        select(ThreadRow)
        .join(CommentRow, CommentRow.thread_id == ThreadRow.id)
        .where(ThreadRow.source == source, ThreadRow.community == community)
        .where(CommentRow.external_id == external_id)
        .order_by(ThreadRow.id)
        .limit(1)
    )


def parent_of(session: Session, comment: CommentRow) -> CommentRow | None:
    if comment.thread_id is None or comment.parent_external_id is None:
        return None
    return session.scalar(
        select(CommentRow).where(
            CommentRow.thread_id == comment.thread_id, CommentRow.external_id == comment.parent_external_id
        )
    )


def author_history(session: Session, author: str, limit: int = 20) -> dict[str, Any]:
    """How many of an author's comments are in each state, and the latest ones."""
    counts = dict(
        session.execute(
            select(CommentRow.status, func.count())
            .where(CommentRow.author == author)
            .group_by(CommentRow.status)
        ).all()
    )
    recent = session.scalars(
        select(CommentRow)
        .where(CommentRow.author == author)
        .order_by(CommentRow.posted_at.desc())
        .limit(limit)
    )
    return {"author": author, "total": sum(counts.values()), "by_status": counts, "recent": list(recent)}
