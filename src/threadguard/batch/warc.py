"""WARC and WET files as Common Crawl publishes them, read with FastWARC.

- "response" records with an HTML payload go through the page parser (ingest format "html"): one Row per
  comment found on the page, the thread id being the page URL.
- "conversion" records (WET: the page as plain text) go through the "text-dump" parser when the text
  looks like a page dump with a comment list, otherwise the whole page text is one Row.
- Other records (warcinfo, request, metadata, non-HTML responses) are counted in `notes`.
A record shorter than its Content-Length (a cut-off file) is reported as "truncated_record".
Record numbers count every WARC record of the file, from 1.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from threadguard.batch.records import Problem, Row
from threadguard.ingest.encoding import decode
from threadguard.ingest.registry import SNIFF_BYTES, get_format
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_RECORD_BYTES = 32 << 20  # larger records are media, not pages: counted and passed over unread
Item = Row | Problem


def warc_items(stream: BinaryIO, notes: Counter[str]) -> Iterator[Item]:
    report = IngestReport()
    records = ArchiveIterator(stream, parse_http=False, stream_detect=False, max_content_length=None)
    for number, record in enumerate(records, start=1):
        kind = str(record.record_type)
        if record.record_type not in (WarcRecordType.response, WarcRecordType.conversion):
            notes[f"warc_{kind}_records"] += 1
            continue
        declared = record.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_RECORD_BYTES:
            notes["warc_records_too_large"] += 1
            continue
        block = record.reader.read()
        if declared is None or not declared.isdigit() or len(block) < int(declared):
            yield Problem(number, None, "truncated_record", f"{len(block)} of {declared} bytes", True)
            continue
        url = record.headers.get("WARC-Target-URI")
        try:
            if record.record_type == WarcRecordType.response:
                yield from _page_rows(number, record, block, url, report, notes)
            else:
                yield from _text_rows(number, record, block, url, report)
        except Exception as exc:  # a parser failing on one page must not stop the file
            yield Problem(number, None, "unreadable_record", f"{type(exc).__name__}: {exc}", True)
    for reason, count in sorted(report.warnings.items()):
        yield Problem(None, None, reason, "counted by the page parsers", None, count)


def _page_rows(
    number: int, record: WarcRecord, block: bytes, url: str | None, report: IngestReport, notes: Counter[str]
) -> Iterator[Item]:
    record.set_bytes_content(block)
    record.parse_http(auto_decode="all")
    if (record.http_content_type or "").lower() not in HTML_TYPES:
        notes["warc_non_html_responses"] += 1
        return
    for thread in get_format("html").parse(io.BytesIO(record.reader.read()), report):
        yield from _comment_rows(number, thread, url)


def _text_rows(
    number: int, record: WarcRecord, block: bytes, url: str | None, report: IngestReport
) -> Iterator[Item]:
    text_dump = get_format("text-dump")
    if text_dump.sniff(block[:SNIFF_BYTES], url or ""):
        threads = [t for t in text_dump.parse(io.BytesIO(block), report) if t.comments]
        if threads:
            for thread in threads:
                yield from _comment_rows(number, thread, url)
            return
    text = decode(block, report.warnings)
    if not text.strip():
        yield Problem(number, None, "empty_text", "the page has no text", True)
        return
    yield Row(number, None, record.record_id, text, thread_id=url)


def _comment_rows(number: int, thread: Thread, url: str | None) -> Iterator[Item]:
    for item, comment in enumerate(thread.comments, start=1):
        if not comment.text.strip():
            yield Problem(number, item, "empty_text", "the comment has no text", True)
        else:
            yield Row(
                number, item, comment.id, comment.text, url or thread.id, comment.parent_id, comment.author
            )
