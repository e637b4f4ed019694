"""Remark42 comments in the three shapes it writes: the native backup (JSON lines: a metadata line with
users and posts, then one comment per line), a flat JSON list of comments, and the API tree
(`{"comments": [{"comment": {...}, "replies": [...]}]}`).

Comments are grouped into one thread per page (`locator.url`); `pid` is the parent ("" at top level).
Deleted comments (`"delete": true`) stay in place, flagged, because they can have replies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import (
    as_id,
    as_text,
    comment_records,
    first_line_record,
    head_text,
    html_comment,
    read_records,
)
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

COMMENT_KEYS = (re.compile(r'"locator"\s*:\s*\{'), re.compile(r'"pid"\s*:'))


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    if not text.startswith(("{", "[")):
        return False
    return all(p.search(text) for p in COMMENT_KEYS) or _is_backup_header(first_line_record(head))


def _is_backup_header(record: Any) -> bool:
    return isinstance(record, dict) and "version" in record and "users" in record and "posts" in record


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    pages: dict[str | None, list[Comment]] = {}
    for record in read_records(stream, report):
        if _is_backup_header(record):
            continue  # users and read-only flags of posts: nothing a comment needs
        is_tree = isinstance(record, dict) and "comments" in record and "id" not in record
        nodes = record["comments"] if is_tree else [record]
        flat = _flatten(nodes if isinstance(nodes, list) else [nodes])
        for data, comment in comment_records(flat, _comment, report):
            pages.setdefault(_page(data), []).append(comment)
    for page, comments in pages.items():
        yield make_thread("remark42", comments, id=page, url=page)


def _flatten(nodes: list[Any]) -> Iterator[Any]:
    """Flat comments and every node of an API tree, parents first."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and isinstance(node.get("comment"), dict):
            replies = node.get("replies")
            stack.extend(reversed(replies if isinstance(replies, list) else []))
            node = node["comment"]
        yield node


def _page(data: dict[str, Any]) -> str | None:
    """The comment's page url, which names its thread."""
    locator = data.get("locator")
    return as_text(locator.get("url")) if isinstance(locator, dict) else None


def _comment(data: dict[str, Any]) -> Comment | None:
    comment_id = as_id(data.get("id"))
    if comment_id is None:
        return None
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    author = as_text(user.get("name")) or None
    flags = {"deleted"} if data.get("delete") is True else set()
    return html_comment(comment_id, as_id(data.get("pid")), data.get("text"), author, data.get("time"), flags)
