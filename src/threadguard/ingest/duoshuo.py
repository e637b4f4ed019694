"""Duoshuo (多说) export: `{"generator": "duoshuo", "threads": [...], "posts": [...]}`.

A post's `parents` is its whole ancestor list from the top-level comment down to its direct parent, so
the parent is the last entry. Ids are 19-digit integers, beyond a float's 2^53: Python's json keeps
integers exact and they are turned into strings digit for digit, never through a float.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import (
    as_id,
    as_list,
    as_text,
    comment_records,
    head_text,
    html_comment,
    read_object,
)
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

GENERATOR = re.compile(r'"generator"\s*:\s*"duoshuo"')
POST_KEYS = (re.compile(r'"post_id"\s*:'), re.compile(r'"thread_id"\s*:'), re.compile(r'"parents"\s*:'))
STATUS_FLAGS = {"deleted": "deleted", "spam": "spam", "pending": "unapproved"}


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith("{") and bool(GENERATOR.search(text) or all(p.search(text) for p in POST_KEYS))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    document = read_object(stream, report)
    if document is None:
        return
    pages: dict[str | None, dict[str, Any]] = {}
    for page in as_list(document.get("threads")):
        if isinstance(page, dict):
            pages[as_id(page.get("thread_id"))] = page
        else:
            report.warnings["unreadable_record"] += 1
    comments: dict[str | None, list[Comment]] = {thread_id: [] for thread_id in pages}
    for post, comment in comment_records(as_list(document.get("posts")), _comment, report):
        comments.setdefault(as_id(post.get("thread_id")), []).append(comment)
    for thread_id, thread_comments in comments.items():
        page = pages.get(thread_id, {})
        yield make_thread(
            "duoshuo",
            thread_comments,
            id=thread_id,
            url=as_text(page.get("url")),
            title=as_text(page.get("title")),
        )


def _comment(post: dict[str, Any]) -> Comment | None:
    post_id = as_id(post.get("post_id"))
    if post_id is None:
        return None
    ancestors = as_list(post.get("parents"))
    parent_id = as_id(ancestors[-1]) if ancestors else None
    author = as_text(post.get("author_name")) or None
    status = STATUS_FLAGS.get(as_text(post.get("status")) or "")
    flags = {status} if status else set()
    return html_comment(post_id, parent_id, post.get("message"), author, post.get("created_at"), flags)
