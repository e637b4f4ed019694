"""Pushshift / Arctic-Shift dumps: one Reddit comment (`RC_` files) or submission (`RS_` files) per line.

Comment lines are grouped into one thread per submission (`link_id`); a submission line gives its
thread's title, link and self text. Lines are read one at a time; the threads come out at the end
because a dump is not ordered by thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.json_input import first_line_record, head_text
from threadguard.ingest.json_lines import counted_objects
from threadguard.ingest.reddit import RedditThreads
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread


def record_kind(record: Any) -> str | None:
    """The kind of a dump line: "comment", "submission", or None for neither."""
    if not isinstance(record, dict):
        return None
    if "body" in record and "link_id" in record:
        return "comment"
    if "title" in record and ("selftext" in record or "num_comments" in record) and "subreddit" in record:
        return "submission"
    return None


def sniff(head: bytes, filename: str) -> bool:
    return head_text(head).startswith("{") and record_kind(first_line_record(head)) is not None


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    threads = RedditThreads("pushshift", report)
    for record in counted_objects(stream, report.warnings):
        kind = record_kind(record)
        if kind == "comment":
            threads.add_comment(record, None)
        elif kind == "submission":
            threads.add_submission(record)
        else:
            report.warnings["unreadable_record"] += 1
    yield from threads.build()
