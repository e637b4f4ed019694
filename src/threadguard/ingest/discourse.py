"""Discourse API JSON: a topic (`/t/<id>.json`, posts in `post_stream.posts`), a posts chunk
(`/t/<id>/posts.json`), the latest posts across topics (`/posts.json`, `latest_posts`) and a user's
replies (`user_actions`, which carry only an excerpt).

Every post, the opening one included, is a comment: the opening post is user text like any other.
Comment ids are post numbers, which are what `reply_to_post_number` refers to (null = reply to the
topic); a referenced post outside the chunk leaves its reply an orphan. One thread per topic.
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

CONTAINER = re.compile(r'"(?:post_stream|latest_posts|user_actions)"\s*:')
POST_NUMBER = re.compile(r'"post_number"\s*:')
ELLIPSIS = ("…", "&hellip;")


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith("{") and bool(CONTAINER.search(text) and POST_NUMBER.search(text))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    document = read_object(stream, report)
    if document is None:
        return
    stream_posts = document.get("post_stream")
    posts = (
        stream_posts.get("posts")
        if isinstance(stream_posts, dict)
        else document.get("latest_posts") or document.get("user_actions")
    )
    topics: dict[str | None, list[Comment]] = {}
    titles: dict[str | None, str | None] = {}
    for post, comment in comment_records(as_list(posts), _comment, report):
        topic = as_id(post.get("topic_id")) or as_id(document.get("id"))
        topics.setdefault(topic, []).append(comment)
        titles.setdefault(topic, as_text(post.get("topic_title")) or as_text(post.get("title")))
    for topic, comments in topics.items():
        title = as_text(document.get("title")) if topic == as_id(document.get("id")) else None
        yield make_thread("discourse", comments, id=topic, title=title or titles[topic])


def _comment(post: dict[str, Any]) -> Comment | None:
    number = as_id(post.get("post_number"))
    if number is None:
        return None
    flags = set()
    if post.get("deleted_at") or post.get("user_deleted") is True or post.get("deleted") is True:
        flags.add("deleted")
    if post.get("hidden") is True:  # hidden after community flags
        flags.add("unapproved")
    cooked = as_text(post.get("cooked"))
    if cooked is not None:
        text = html_to_text(cooked)
    else:
        excerpt = as_text(post.get("excerpt")) or ""
        if excerpt.rstrip().endswith(ELLIPSIS):
            flags.add("truncated")
        text = html_to_text(excerpt)
    author = as_text(post.get("username")) or as_text(post.get("name")) or None
    if author is None:
        flags.add("author_missing")
    return Comment(
        id=number,
        parent_id=as_id(post.get("reply_to_post_number")),
        text=text,
        author=author,
        created=utc_iso(post.get("created_at")),
        flags=flags,
    )
