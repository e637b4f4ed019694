"""Generic JSON lines, the format to convert anything else into, and the one threadguard writes back:
one comment per line with `id`, `parent_id`, `author`, `text` (or `body`, `comment`, `message`),
`created_at`, and optionally `thread_id` (groups lines into threads), `title`, `url`, `article` (on any
line of the thread) and `flags` (a list, or a string like "deleted spam").

Lines are read by the one JSON-lines reader (json_lines.py), which names bad lines ("invalid_json",
"not_an_object", "too_long", ...); a record without a string text field is "missing_text". An empty
text is kept (a deleted comment still holds its replies). The n-th record without an id gets the id
"record:<n>" so that it is still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import (
    as_id,
    as_text,
    first_line_record,
    head_text,
    utc_iso,
)
from threadguard.ingest.json_lines import TEXT_KEYS, counted_objects
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import SOURCE_FLAGS, Comment, Thread
from threadguard.thread.tree import make_thread

PARENT_KEYS = ("parent_id", "parent")
CREATED_KEYS = ("created_at", "created")
META_KEYS = ("title", "url", "article")
# Keys that mark a line as another format's (Pushshift, Remark42, Livefyre, Commento, Discourse, Reddit).
OTHER_FORMAT_KEYS = {"link_id", "subreddit", "locator", "pid", "comments", "body_html", "commentHex", "kind"}
TEXT_KEY = re.compile("|".join(rf'"{key}"\s*:' for key in TEXT_KEYS))
OTHER_FORMAT_KEY = re.compile("|".join(rf'"{key}"\s*:' for key in OTHER_FORMAT_KEYS))
FLAG_SEPARATORS = re.compile(r"[\s,;|]+")


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    if "\n" not in text and filename.endswith((".jsonl", ".ndjson")):
        # a first line longer than the sniffed head: trust the name if it opens like a generic record
        return text.startswith("{") and bool(TEXT_KEY.search(text)) and not OTHER_FORMAT_KEY.search(text)
    record = first_line_record(head)
    return (
        text.startswith("{")
        and isinstance(record, dict)
        and _text(record) is not None
        and not OTHER_FORMAT_KEYS & record.keys()
    )


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    threads = GenericThreads("jsonl", report)
    for record in counted_objects(stream, report.warnings):
        threads.add(record)
    yield from threads.build()


def render(threads: Iterable[Thread]) -> Iterator[str]:
    """Each comment as one JSON line (without the line end), in thread order, which `parse` reads back
    as the same threads. Repair flags are left out: tree assembly finds those again. A thread without
    comments has no line to carry it; threads without an id come back as one thread."""
    for thread in threads:
        for i, comment in enumerate(thread.comments):
            record: dict[str, Any] = {
                "thread_id": thread.id,
                "id": comment.id,
                "parent_id": comment.parent_id,
                "author": comment.author,
                "text": comment.text,
                "created_at": comment.created,
                "flags": sorted(comment.flags & set(SOURCE_FLAGS)),
            }
            if i == 0:
                record.update({key: getattr(thread, key) for key in META_KEYS if getattr(thread, key)})
            yield json.dumps(record, ensure_ascii=False)


def _text(record: dict[str, Any]) -> str | None:
    return next((record[key] for key in TEXT_KEYS if isinstance(record.get(key), str)), None)


class GenericThreads:
    """Records (JSON objects or CSV rows) grouped by `thread_id`, in first-seen order."""

    def __init__(self, source: str, report: IngestReport) -> None:
        self.source = source
        self.report = report
        self.comments: dict[str | None, list[Comment]] = {}
        self.meta: dict[str | None, dict[str, str]] = {}
        self.records = 0

    def add(self, record: dict[str, Any]) -> Comment | None:
        """Adds one record; returns its comment, or None when it could not be read (counted)."""
        self.records += 1
        text = _text(record)
        if text is None:
            self.report.warnings["missing_text"] += 1
            return None
        comment = Comment(
            id=as_id(record.get("id")) or f"record:{self.records}",
            parent_id=next(filter(None, (as_id(record.get(key)) for key in PARENT_KEYS)), None),
            text=text,
            author=as_text(record.get("author")) or None,
            created=next(filter(None, (utc_iso(record.get(key)) for key in CREATED_KEYS)), None),
            flags=self._flags(record.get("flags")),
        )
        self.report.comments_read += 1
        thread_id = as_id(record.get("thread_id"))
        self.comments.setdefault(thread_id, []).append(comment)
        meta = self.meta.setdefault(thread_id, {})
        for key in META_KEYS:
            value = as_text(record.get(key))
            if value:
                meta.setdefault(key, value)
        return comment

    def build(self) -> Iterator[Thread]:
        for thread_id, comments in self.comments.items():
            yield make_thread(self.source, comments, id=thread_id, **self.meta[thread_id])

    def _flags(self, value: Any) -> set[str]:
        """Source flags from a list or a separated string; other names are counted as "unknown_flag"."""
        if isinstance(value, str):
            value = FLAG_SEPARATORS.split(value.strip())
        names = value if isinstance(value, list) else []
        unknown = sum(1 for name in names if name and name not in SOURCE_FLAGS)
        if unknown:
            self.report.warnings["unknown_flag"] += unknown
        return {name for name in names if name in SOURCE_FLAGS}
