"""Score every comment of a thread with its context: the article and the comment it replies to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from threadguard.scores import CommentScore
from threadguard.thread.context import Context, ContextScorer
from threadguard.thread.model import Comment, Thread


@dataclass
class ScoredComment:
    comment: Comment
    score: CommentScore | None  # None: nothing to score (a deleted comment with no text left)

    def to_line(self) -> dict[str, Any]:
        """The engine's line plus where the comment sits in its thread."""
        c = self.comment
        line: dict[str, Any] = (
            self.score.to_line(c.id) if self.score else {"id": c.id, "not_scored": "no text to score"}
        )
        line.update(
            parent_id=c.parent_id,
            author=c.author,
            created=c.created,
            depth=c.depth,
            flags=sorted(c.flags),
        )
        line.setdefault("context_effect", {})
        return line


def thread_context(thread: Thread, comment: Comment, index: dict[str, Comment]) -> Context:
    article = "\n".join(part for part in (thread.title, thread.article) if part) or None
    parent = thread.parent_of(comment, index)
    return Context(article=article, parent=parent.text if parent and parent.text.strip() else None)


def score_thread(thread: Thread, scorer: ContextScorer, use_context: bool = True) -> list[ScoredComment]:
    """One ScoredComment per comment, in thread order."""
    index = thread.by_id()
    scorable = [c for c in thread.comments if c.text.strip()]
    contexts: Sequence[Context | None] = (
        [thread_context(thread, c, index) for c in scorable] if use_context else [None] * len(scorable)
    )
    scores = dict(
        zip((c.id for c in scorable), scorer.score([c.text for c in scorable], contexts), strict=True)
    )
    return [ScoredComment(c, scores.get(c.id)) for c in thread.comments]
