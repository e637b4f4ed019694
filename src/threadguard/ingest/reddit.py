"""Reddit JSON as the API returns it: a thread page (`[t3 Listing, t1 Listing]`), a "continue this thread"
page, a `/api/morechildren` response (`{"json": {"data": {"things": [...]}}}`) or a user's comment
Listing. Comments are grouped into one thread per submission (`link_id`).

A `more` stub stands for comments the response did not include: they are not comments we have, so they
are counted on the thread ("more_not_fetched" adds the stub's `count`, Reddit's number of hidden
comments; "more_continue_thread" counts "continue this thread" stubs, whose size Reddit does not say).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import as_id, as_text, head_text, read_document, utc_iso
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

REMOVED_BODIES = {"[deleted]", "[removed]"}
THING_KIND = re.compile(r'"kind"\s*:\s*"(?:Listing|t1|t3|more)"')
SITE = "https://www.reddit.com"


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith(("[", "{")) and bool(THING_KIND.search(text))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    document = read_document(stream, report)
    threads = RedditThreads("reddit", report)
    if document is not None:
        threads.walk(document, None)
    yield from threads.build()


def comment_from_data(data: dict[str, Any]) -> Comment | None:
    """A `t1`'s data (or a Pushshift comment line) as a Comment; None when it has no id or no body.

    A `[deleted]`/`[removed]` body keeps the comment (it may have replies) with empty text, flagged
    "deleted"; a `[deleted]` author becomes "author_missing". Markdown bodies show entity references as
    the characters they name, so those are decoded.
    """
    comment_id = as_id(data.get("id")) or _unprefixed(as_id(data.get("name")))
    body = as_text(data.get("body"))
    if comment_id is None or body is None:
        return None
    flags = set()
    if body.strip() in REMOVED_BODIES:
        flags.add("deleted")
        body = ""
    author = as_text(data.get("author"))
    if not author or author == "[deleted]":
        flags.add("author_missing")
        author = None
    parent = as_id(data.get("parent_id"))
    return Comment(
        id=comment_id,
        parent_id=None if parent is None or parent.startswith("t3_") else _unprefixed(parent),
        text=html.unescape(body),
        author=author,
        created=utc_iso(data.get("created_utc")),
        flags=flags,
    )


def _unprefixed(fullname: str | None) -> str | None:
    """Reddit's fullnames carry the kind as a prefix ("t1_abc"); comment and submission ids do not."""
    if fullname is None:
        return None
    kind, sep, rest = fullname.partition("_")
    return rest if sep and kind in ("t1", "t3") else fullname


class RedditThreads:
    """Submissions, comments and `more` stubs collected per submission, then built into Threads."""

    def __init__(self, source: str, report: IngestReport) -> None:
        self.source = source
        self.report = report
        self.submissions: dict[str | None, dict[str, Any]] = {}
        self.comments: dict[str | None, list[Comment]] = {}  # keyed by submission fullname, first seen first
        self.first_comment: dict[str | None, dict[str, Any]] = {}  # link_title, link_permalink
        self.warnings: dict[str | None, Counter[str]] = {}
        self.last_submission: str | None = None

    def add_submission(self, data: dict[str, Any]) -> None:
        link = as_id(data.get("name")) or _prefixed(as_id(data.get("id")))
        self._see(link)
        self.submissions[link] = data
        self.last_submission = link

    def add_comment(self, data: dict[str, Any], link: str | None) -> str | None:
        """Adds one comment record; returns its submission fullname (for its replies and stubs)."""
        link = as_id(data.get("link_id")) or link or self.last_submission
        comment = comment_from_data(data)
        if comment is None:
            self.report.warnings["unreadable_record"] += 1
            return link
        self.report.comments_read += 1
        self._see(link)
        self.comments[link].append(comment)
        self.first_comment.setdefault(link, data)
        return link

    def add_more(self, data: dict[str, Any], link: str | None) -> None:
        link = link or self.last_submission
        self._see(link)
        children = data.get("children")
        count = data.get("count")
        hidden = max(
            count if isinstance(count, int) else 0, len(children) if isinstance(children, list) else 0
        )
        if hidden:
            self.warnings[link]["more_not_fetched"] += hidden
        else:
            self.warnings[link]["more_continue_thread"] += 1

    def walk(self, value: Any, link: str | None) -> None:
        """Collects every thing in a Reddit response, whatever envelope holds it."""
        if isinstance(value, list):
            for item in value:
                self.walk(item, link)
            return
        if not isinstance(value, dict):
            self.report.warnings["unreadable_record"] += 1
            return
        kind, data = value.get("kind"), value.get("data")
        if "json" in value and kind is None:  # /api/morechildren envelope
            self.walk(_dig(value, "json", "data", "things") or [], link)
        elif not isinstance(data, dict):
            self.report.warnings["unreadable_record"] += 1
        elif kind == "Listing":
            self.walk(data.get("children") or [], link)
        elif kind == "t3":
            self.add_submission(data)
        elif kind == "t1":
            link = self.add_comment(data, link)
            if isinstance(data.get("replies"), dict):
                self.walk(data["replies"], link)
        elif kind == "more":
            self.add_more(data, link)
        else:  # users, subreddits, messages: not comments
            self.report.warnings["reddit_non_comment_thing"] += 1

    def build(self) -> Iterator[Thread]:
        for link, comments in self.comments.items():
            submission = self.submissions.get(link, {})
            comment_data = self.first_comment.get(link, {})
            permalink = as_text(submission.get("permalink")) or as_text(comment_data.get("link_permalink"))
            selftext = as_text(submission.get("selftext"))
            thread = make_thread(
                self.source,
                comments,
                id=_unprefixed(link),
                url=SITE + permalink if permalink and permalink.startswith("/") else permalink,
                title=as_text(submission.get("title")) or as_text(comment_data.get("link_title")),
                article=html.unescape(selftext) if selftext else None,
            )
            thread.warnings.update(self.warnings[link])
            yield thread

    def _see(self, link: str | None) -> None:
        if link not in self.comments:
            self.comments[link] = []
            self.warnings[link] = Counter()


def _dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]... or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _prefixed(submission_id: str | None) -> str | None:
    return None if submission_id is None else f"t3_{submission_id}"
