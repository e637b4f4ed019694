"""Disqus XML export: all <thread>s, then all <post>s that point at their thread and parent by dsq:id.

The tree has to be rebuilt from those references, so comments are held (never the document) until the
end of the file; a 100,000-comment export is read as a stream. Real quirks handled: a stray byte before
`<?xml`, posts whose thread does not exist (kept in a thread of their own, "post_in_unknown_thread"),
deleted threads (their posts kept and flagged deleted, "deleted_thread"), deleted posts with live replies,
threads with no fields, several threads with the same title. Threads without posts are not output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.report import IngestReport
from threadguard.ingest.xml_records import child_text, local_name, root_tag, xml_records
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

SOURCE = "disqus"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
FLAG_TAGS = (("deleted", "isDeleted"), ("spam", "isSpam"))


@dataclass
class _ThreadInfo:
    url: str | None
    title: str | None
    article: str | None
    deleted: bool


def sniff(head: bytes, filename: str) -> bool:
    return root_tag(head) == "disqus"


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    threads: dict[str, _ThreadInfo] = {}
    posts: dict[str, list[Comment]] = defaultdict(list)
    for element in xml_records(stream, report, {"thread": 1, "post": 1}):
        if local_name(element) == "thread":
            threads[_dsq_id(element) or ""] = _thread_info(element)
            continue
        thread_id, comment = _post(element, report.comments_read)
        posts[thread_id].append(comment)
        report.comments_read += 1

    for thread_id in [*[t for t in threads if t in posts], *[t for t in posts if t not in threads]]:
        comments = posts.pop(thread_id)
        info = threads.get(thread_id)
        if info is None:
            report.warnings["post_in_unknown_thread"] += len(comments)
            yield make_thread(SOURCE, comments, id=thread_id or None)
            continue
        if info.deleted:
            for comment in comments:
                comment.flags.add("deleted")
        thread = make_thread(
            SOURCE, comments, id=thread_id, url=info.url, title=info.title, article=info.article
        )
        if info.deleted:
            thread.warnings["deleted_thread"] += 1
        yield thread


def _dsq_id(element: etree._Element) -> str | None:
    value = element.get(DSQ_ID)
    if value is None:  # a recovering parser may have lost the namespace
        value = next((v for k, v in element.attrib.items() if k.endswith("id")), None)
    return value.strip() if value else None


def _thread_info(element: etree._Element) -> _ThreadInfo:
    message = child_text(element, "message")
    return _ThreadInfo(
        url=child_text(element, "link"),
        title=child_text(element, "title"),
        article=html_to_text(message) if message else None,
        deleted=child_text(element, "isDeleted") == "true",
    )


def _post(element: etree._Element, index: int) -> tuple[str, Comment]:
    """(thread dsq:id, comment); a post without a dsq:id gets one from its place in the file."""
    fields = {local_name(child): child for child in element}
    author = fields.get("author")
    thread, parent, message = fields.get("thread"), fields.get("parent"), fields.get("message")
    comment = Comment(
        id=_dsq_id(element) or f"post-{index + 1}",
        parent_id=_dsq_id(parent) if parent is not None else None,
        text=html_to_text(message.text or "") if message is not None else "",
        author=(child_text(author, "name") or child_text(author, "username")) if author is not None else None,
        created=_text(fields.get("createdAt")),
        flags={flag for flag, tag in FLAG_TAGS if _text(fields.get(tag)) == "true"},
    )
    return (_dsq_id(thread) or "") if thread is not None else "", comment


def _text(element: etree._Element | None) -> str | None:
    return (element.text or "").strip() or None if element is not None else None
