"""The one shape every input format is turned into: a Thread of Comments in tree order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Flags a comment can carry. Source flags come from the export; repair flags say what tree repair did.
SOURCE_FLAGS = ("deleted", "spam", "unapproved", "pingback", "trackback", "author_missing", "truncated")
REPAIR_FLAGS = ("orphan", "cycle", "duplicate_id")
FLAGS = SOURCE_FLAGS + REPAIR_FLAGS


@dataclass
class Comment:
    """One comment. Ids are strings so that 64-bit ids (Duoshuo, Disqus) stay exact.

    `depth` is 1 for a reply to the article, 2 for a reply to that, and so on; tree assembly sets it.
    `parent_id` is the parent as the source gave it (an orphan keeps the id of its missing parent).
    """

    id: str
    parent_id: str | None
    text: str
    author: str | None = None
    created: str | None = None  # ISO 8601 as the source gave it, normalised to UTC when the source says
    depth: int = 1
    flags: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        unknown = self.flags - set(FLAGS)
        if unknown:
            raise ValueError(f"unknown comment flags {sorted(unknown)}; known: {FLAGS}")


@dataclass
class Thread:
    """A page or topic with its comments in depth-first pre-order (each parent before its replies).

    `warnings` counts what was repaired or could not be read, e.g. {"orphan": 2, "truncated_input": 1}.
    """

    source: str
    comments: list[Comment]
    id: str | None = None
    url: str | None = None
    title: str | None = None
    article: str | None = None
    warnings: Counter[str] = field(default_factory=Counter)

    def by_id(self) -> dict[str, Comment]:
        return {c.id: c for c in self.comments}

    def parent_of(self, comment: Comment, index: dict[str, Comment] | None = None) -> Comment | None:
        """The parent inside this thread, or None for top-level comments and orphans."""
        if comment.parent_id is None or "orphan" in comment.flags:
            return None
        return (index or self.by_id()).get(comment.parent_id)
