"""isso's "generic" import JSON: a list of threads `{"id": <page path>, "title", "comments": [...]}`.

The format is flat (no parent field; a `parent` key, as isso's own API writes it, is honoured), and
comment ids only order the comments inside their thread. Titles arrive form-encoded ("Nat+%26+Miguel").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import unquote_plus

from threadguard.ingest.json_input import as_id, as_text, comment_records, head_text, read_document, utc_iso
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

COMMENTS = re.compile(r'"comments"\s*:\s*\[')
COMMENT_KEYS = re.compile(r'"(?:remote_addr|website)"\s*:')


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith("[") and bool(COMMENTS.search(text) and COMMENT_KEYS.search(text))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    document = read_document(stream, report)
    if document is None:
        return
    for page in document if isinstance(document, list) else [document]:
        if not isinstance(page, dict) or not isinstance(page.get("comments"), list):
            report.warnings["unreadable_record"] += 1
            continue
        comments = [comment for _, comment in comment_records(page["comments"], _comment, report)]
        title = as_text(page.get("title"))
        path = as_text(page.get("id"))
        comments.sort(key=lambda c: int(c.id) if c.id.isdecimal() else 0)
        yield make_thread("isso", comments, id=path, url=path, title=unquote_plus(title) if title else None)


def _comment(data: dict[str, Any]) -> Comment | None:
    comment_id = as_id(data.get("id"))
    text = as_text(data.get("text"))
    if comment_id is None or text is None:
        return None
    author = as_text(data.get("author")) or None
    return Comment(
        id=comment_id,
        parent_id=as_id(data.get("parent")),
        text=text.strip(),
        author=author,
        created=utc_iso(data.get("created")),
        flags=set() if author else {"author_missing"},
    )
