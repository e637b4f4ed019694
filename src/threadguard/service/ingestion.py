"""Ingest threads into the store: score each comment in its context, let the policy sort it, and
commit thread by thread, so that a crash loses at most the thread in flight and a re-run adds only
what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from threadguard.ingest import IngestReport, read_threads
from threadguard.policy import Decision
from threadguard.scores import CommentScore
from threadguard.server.runtime import Runtime
from threadguard.store.comments import ThreadIngest, ingest_thread, stored_context
from threadguard.store.moderation import decide_new
from threadguard.thread.model import Comment, Thread
from threadguard.thread.scoring import score_thread, thread_context


class UnreadableUploadError(ValueError):
    """The upload is gzip-compressed but nothing in it decompresses: a clear 400, not an empty success."""


@dataclass
class IngestResult:
    threads: int = 0
    new: int = 0
    existing: int = 0
    thread_ids: list[int] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    def add(self, stored: ThreadIngest) -> None:
        self.threads += 1
        self.new += stored.new
        self.existing += stored.existing
        self.thread_ids.append(stored.thread_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "threads": self.threads, "comments_new": self.new, "comments_existing": self.existing,
            "thread_ids": self.thread_ids[:1000], "report": self.report,
        }  # fmt: skip


def store_thread(rt: Runtime, thread: Thread, community: str, actor: str, fallback_key: str) -> ThreadIngest:
    """Score and store one thread in one transaction; returns what was new."""
    scored = score_thread(thread, rt.scorer)
    stored, _decisions = store_scored(rt, thread, [s.score for s in scored], community, actor, fallback_key)
    return stored


def store_scored(
    rt: Runtime,
    thread: Thread,
    scores: Sequence[CommentScore | None],
    community: str,
    actor: str,
    fallback_key: str,
) -> tuple[ThreadIngest, list[Decision]]:
    """Decide and store a thread whose comments are already scored, in one transaction; returns what
    was new and the policy's decision for each comment."""
    items = [(c.text, c.author, s) for c, s in zip(thread.comments, scores, strict=True)]
    for attempt in range(2):
        try:
            with rt.sessions.begin() as session:
                # the authors' standings and word lists as they are in this transaction
                decisions = decide_new(session, rt.policy, community, items)
                stored = ingest_thread(session, thread, scores, decisions, community, actor, fallback_key)
                return stored, decisions
        except IntegrityError:  # another process stored the same thread at the same moment: look again
            if attempt:
                raise
    raise AssertionError("unreachable")


def store_in_context(
    rt: Runtime, comment: Comment, source: str, thread_id: str, url: str | None, community: str, actor: str
) -> tuple[ThreadIngest, Decision]:
    """Score one comment arriving on its own (a webhook's) with its thread's context, store it in that
    thread, and return what was new and the policy's decision. The parent counts when it is stored under
    `comment.parent_id` in the thread (source plus `thread_id`), the article when the thread has one."""
    comments = [comment]
    with rt.sessions() as session:  # the thread and the parent in one statement
        known = stored_context(
            session, Thread(source, [], id=thread_id, url=url), thread_id, comment.parent_id
        )
    if known is not None and comment.parent_id is not None and known.parent_text is not None:
        comments.insert(0, Comment(comment.parent_id, None, known.parent_text, author=known.parent_author))
        comment.depth = known.parent_depth + 1
    title, article = (known.title, known.article) if known else (None, None)
    thread = Thread(source, comments, id=thread_id, url=url, title=title, article=article)
    context = thread_context(thread, comment, thread.by_id())
    (score,) = rt.scorer.score([comment.text], [context], False, community)
    stored = Thread(source, [comment], id=thread_id, url=url)
    ingest, (decision,) = store_scored(rt, stored, [score], community, actor, fallback_key=thread_id)
    return ingest, decision  # with the author's standing and the community's word lists


def ingest_file(rt: Runtime, path: Path, format: str, community: str, actor: str, name: str) -> IngestResult:
    """Every thread of an export file. `name` (the upload's file name) keys threads that have no id."""
    report = IngestReport()
    result = IngestResult()
    for index, thread in enumerate(read_threads(path, format, report)):
        stored = store_thread(rt, thread, community, actor, fallback_key=f"{name}#{index}")
        result.add(stored)
    if report.damage and not report.comments_read:
        raise UnreadableUploadError(f"{name} is not a readable gzip file: {report.damage}")
    report.source = name
    result.report = report.as_dict()
    return result
