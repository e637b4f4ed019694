"""Livefyre export as Coral's importer reads it: JSON lines, one article per line with its comments
nested (`{"id", "source", "title", "comments": [{"id", "parent_id", "body_html", ...}]}`).

The export's other files (assets: articles without comments; users) hold no comments; their lines are
recognised and counted as "livefyre_non_comment_record".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import (
    as_id,
    as_text,
    comment_records,
    first_line_record,
    head_text,
    html_comment,
)
from threadguard.ingest.json_lines import counted_objects
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

ARTICLE_KEYS = {"id", "source", "title", "created", "allow_comments", "comments"}


def record_kind(record: Any) -> str | None:
    """The kind of a line: "article" (with comments), "asset" (an article without them), "user", or None."""
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("comments"), list) and "source" in record:
        return "article"
    if {"id", "source", "title"} <= record.keys() <= ARTICLE_KEYS:
        return "asset"
    if "display_name" in record and ("email_notifications" in record or "email" in record):
        return "user"
    return None


def sniff(head: bytes, filename: str) -> bool:
    return head_text(head).startswith("{") and record_kind(first_line_record(head)) is not None


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    for record in counted_objects(stream, report.warnings):
        kind = record_kind(record)
        if kind == "article":
            yield _thread(record, report)
        elif kind is None:
            report.warnings["unreadable_record"] += 1
        else:
            report.warnings["livefyre_non_comment_record"] += 1


def _thread(article: dict[str, Any], report: IngestReport) -> Thread:
    return make_thread(
        "livefyre",
        [comment for _, comment in comment_records(article["comments"], _comment, report)],
        id=as_id(article.get("id")),
        url=as_text(article.get("source")),
        title=as_text(article.get("title")),
    )


def _comment(data: dict[str, Any]) -> Comment | None:
    comment_id = as_id(data.get("id"))
    if comment_id is None:
        return None
    author = as_text(data.get("imported_display_name")) or as_id(data.get("author_id"))
    return html_comment(
        comment_id, as_id(data.get("parent_id")), data.get("body_html"), author, data.get("created")
    )
