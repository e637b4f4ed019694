"""The one shape every input format is turned into: a Thread of Comments in tree order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Flags a comment can carry. Source flags come from the export; repair flags say what tree repair did.
SOURCE_FLAGS = ("deleted", "spam", "unapproved", "pingback", "trackback", "author_missing", "truncated")
REPAIR_FLAGS = ("orphan", "cycle", "duplicate_id")
FLAGS = SOURCE_FLAGS + REPAIR_FLAGS
# What the codes of flags and of ingest repairs and warnings mean, for people (reports, the app).
LABELS = {
    "deleted": "deleted in the source", "spam": "marked as spam in the source",
    "unapproved": "not approved in the source", "pingback": "pingback", "trackback": "trackback",
    "author_missing": "no author in the export", "truncated": "text cut short in the export",
    "orphan": "reply whose parent is missing (shown at top level)", "cycle": "reply loop broken",
    "duplicate_id": "repeated comment id (kept under a new id)",
    "unreadable_record": "unreadable records skipped", "truncated_input": "file ends mid-record",
    "empty_input": "empty file", "lone_surrogate": "broken characters replaced",
    "unreadable_input": "unreadable file", "unknown_flag": "unknown source flags ignored",
    "undecodable_bytes": "bytes in an unknown encoding replaced",
    "unaccounted_comments": "comments the source counted but did not include",
    "too_long": "over-long text cut",
    "reddit_non_comment_thing": "Reddit items that are not comments skipped",
    "post_in_unknown_thread": "posts of a thread not in the file", "no_comments_found": "no comments found",
    "malformed_xml_recovered": "malformed XML read as far as possible",
    "livefyre_non_comment_record": "Livefyre records that are not comments skipped",
    "list_block_skipped": "list blocks skipped", "leading_garbage": "junk before the data skipped",
    "duplicate_merged": "duplicate comments merged", "duplicate_item": "repeated items skipped",
    "depth_jump": "nesting that skipped levels repaired", "deleted_thread": "deleted threads",
    "comment_in_unknown_post": "comments of a post not in the file",
    "article_extraction_failed": "article text could not be extracted",
}  # fmt: skip


def label(code: str) -> str:
    """A readable label for a flag or repair code; an unknown code with its underscores as spaces."""
    return LABELS.get(code, code.replace("_", " "))


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
