"""Commento's export: `{"version": 1, "comments": [...], "commenters": [...]}`.

One thread per page (`domain` + `url`); `parentHex` is the parent ("root" at top level); the author's
name comes from the `commenters` list (an "anonymous" commenter has none, flagged "author_missing").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.json_input import (
    as_id,
    as_list,
    as_text,
    comment_records,
    head_text,
    read_object,
    utc_iso,
)
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

KEYS = (re.compile(r'"commentHex"\s*:'), re.compile(r'"parentHex"\s*:'))
# Commento's states: approved, unapproved (held for moderation), flagged (marked as spam).
STATE_FLAGS = {"unapproved": "unapproved", "flagged": "spam"}


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith("{") and all(p.search(text) for p in KEYS)


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    document = read_object(stream, report)
    if document is None:
        return
    names = {
        as_id(c.get("commenterHex")): as_text(c.get("name"))
        for c in as_list(document.get("commenters"))
        if isinstance(c, dict)
    }
    pages: dict[str, list[Comment]] = {}
    records = comment_records(as_list(document.get("comments")), lambda data: _comment(data, names), report)
    for data, comment in records:
        page = (as_text(data.get("domain")) or "") + (as_text(data.get("url")) or "")
        pages.setdefault(page, []).append(comment)
    for page, comments in pages.items():
        yield make_thread("commento", comments, id=page or None, url=page or None)


def _comment(data: dict[str, Any], names: dict[str | None, str | None]) -> Comment | None:
    comment_id = as_id(data.get("commentHex"))
    if comment_id is None:
        return None
    parent = as_id(data.get("parentHex"))
    author = names.get(as_id(data.get("commenterHex"))) or None
    flags = {"deleted"} if data.get("deleted") is True else set()
    if author is None:
        flags.add("author_missing")
    state = STATE_FLAGS.get(as_text(data.get("state")) or "")
    if state:
        flags.add(state)
    markdown = as_text(data.get("markdown")) or ""
    return Comment(
        id=comment_id,
        parent_id=None if parent == "root" else parent,
        text=markdown or html_to_text(as_text(data.get("html")) or ""),
        author=author,
        created=utc_iso(data.get("creationDate")),
        flags=flags,
    )
