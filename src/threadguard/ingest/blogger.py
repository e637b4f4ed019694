"""Blogger (Blogspot) Atom export: one feed of <entry>s told apart by their kind category.

Post entries give the thread (title, alternate link, HTML content); comment entries name their post in
<thr:in-reply-to ref> and, when they answer another comment, link it as rel="related". Comments may come
before or after their post, so both are held until the end of the file. A comment whose post is not in
the file is kept in a thread of its own ("comment_in_unknown_post"). Ids are the numbers after ".post-".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.report import IngestReport
from threadguard.ingest.xml_records import child_text, local_name, root_tag, xml_records
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

SOURCE = "blogger"
KIND = "http://schemas.google.com/g/2005#kind"


def sniff(head: bytes, filename: str) -> bool:
    return root_tag(head) == "feed" and b"schemas.google.com/blogger/2008/kind#" in head


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    posts: dict[str, dict[str, str | None]] = {}
    comments: dict[str, list[Comment]] = defaultdict(list)
    for entry in xml_records(stream, report, {"entry": 1}):
        kind = _kind(entry)
        if kind == "post":
            posts[_short_id(child_text(entry, "id"))] = {
                "id": _short_id(child_text(entry, "id")),
                "url": _link(entry, "alternate"),
                "title": child_text(entry, "title"),
                "article": html_to_text(child_text(entry, "content") or "") or None,
            }
        elif kind == "comment":
            post_id, comment = _comment(entry, report.comments_read)
            comments[post_id].append(comment)
            report.comments_read += 1

    for post_id in [*[p for p in posts if p in comments], *[p for p in comments if p not in posts]]:
        thread_comments = comments.pop(post_id)
        if post_id not in posts:
            report.warnings["comment_in_unknown_post"] += len(thread_comments)
        yield make_thread(SOURCE, thread_comments, **posts.get(post_id, {"id": post_id or None}))


def _kind(entry: etree._Element) -> str | None:
    for child in entry:
        if local_name(child) == "category" and child.get("scheme") == KIND:
            return (child.get("term") or "").rpartition("#")[2]
    return None


def _short_id(atom_id: str | None) -> str:
    """ "tag:blogger.com,1999:blog-630.post-185" -> "185"."""
    return (atom_id or "").rpartition(".post-")[2]


def _link(entry: etree._Element, rel: str) -> str | None:
    for child in entry:
        if local_name(child) == "link" and child.get("rel") == rel:
            return child.get("href")
    return None


def _comment(entry: etree._Element, index: int) -> tuple[str, Comment]:
    """(post id, comment). A reply's parent is the last path segment of its rel="related" link."""
    post_id = ""
    author = None
    removed = False
    for child in entry:
        name = local_name(child)
        if name == "in-reply-to":
            post_id = _short_id(child.get("ref"))
        elif name == "author":
            author = child_text(child, "name")
        elif name == "extendedProperty" and child.get("name") == "blogger.contentRemoved":
            removed = child.get("value") == "true"
    related = _link(entry, "related")
    parent = related.rstrip("/").rpartition("/")[2] if related else None
    comment = Comment(
        id=_short_id(child_text(entry, "id")) or f"entry-{index + 1}",
        parent_id=parent or None,
        text=html_to_text(child_text(entry, "content") or ""),
        author=author,
        created=child_text(entry, "published"),
        flags={"deleted"} if removed else set(),
    )
    return post_id, comment
