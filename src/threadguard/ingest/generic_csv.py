"""Generic CSV with a header row: the same columns as generic JSON lines (`id`, `parent_id`, `author`,
`text` or `body`/`comment`/`message`, `created_at`, `thread_id`, `title`, `url`, `article`, `flags`).

Comma, tab and semicolon separators are recognised from the header; quoted fields may hold newlines;
a byte order mark or a non-UTF-8 encoding is handled by `decode`. A row without text is
counted as "missing_text" (as a JSON line without one); a last row cut off mid-way (the file ends inside
quotes, or without a line end after a short row) is kept, flagged "truncated" and counted as
"truncated_input".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from threadguard.ingest.encoding import BOMS, decode
from threadguard.ingest.generic import PARENT_KEYS, GenericThreads
from threadguard.ingest.json_lines import TEXT_KEYS
from threadguard.ingest.limits import FIELD_LIMIT_ERROR, MAX_FIELD_CHARS
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread

DELIMITERS = (",", "\t", ";")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def sniff(head: bytes, filename: str) -> bool:
    bom, encoding = next(((b, name) for b, name in BOMS.items() if head.startswith(b)), (b"", "utf-8"))
    text = head[len(bom) :].decode(encoding, errors="replace")
    return not text.lstrip().startswith(("{", "[", "<")) and _delimiter(text) is not None


def _delimiter(text: str) -> str | None:
    """The separator whose header row names a text column and an id, parent or author column."""
    header = next(iter(text.splitlines()), "")  # any line break ends the header, a lone CR too
    for delimiter in DELIMITERS:
        columns = {name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])}
        if columns & set(TEXT_KEYS) and columns & {"id", "author", *PARENT_KEYS}:
            return delimiter
    return None


def allow_long_fields() -> None:
    """Python's csv module stops at 128 KB per field, process-wide; comments may be longer, up to
    limits.MAX_FIELD_CHARS (a longer field is "too_long"). Every CSV reader of ours calls this first,
    so the outcome never depends on which module happened to be imported."""
    csv.field_size_limit(MAX_FIELD_CHARS)


def text_lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends, split as io.StringIO(newline="") splits them (\\n, \\r\\n,
    \\r), one at a time: a StringIO would copy the whole text at 4 bytes a character."""
    for match in LINE.finditer(text):
        if match.group():
            yield match.group()


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    allow_long_fields()
    text = decode(stream.read(), report.warnings)
    delimiter = _delimiter(text)
    if delimiter is None:
        if text.strip():
            report.warnings["unreadable_record"] += 1
        else:
            report.warnings["empty_input"] += 1
        return
    reader = csv.reader(text_lines(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    threads = GenericThreads("csv", report)
    row: list[str] = []
    comment = None
    for row in _rows(reader, report):
        comment = threads.add(dict(zip(header, row, strict=False))) if any(row) else None
    short_last_row = len(row) < len(header) and not text.endswith(("\n", "\r"))
    if short_last_row or text.count('"') % 2 == 1:  # an odd quote count: the file ends inside quotes
        report.warnings["truncated_input"] += 1
        if comment is not None:
            comment.flags.add("truncated")
    yield from threads.build()


def _rows(reader: Iterator[list[str]], report: IngestReport) -> Iterator[list[str]]:
    """The rows of `reader`; a row the csv module rejects is counted and skipped."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.warnings["too_long" if FIELD_LIMIT_ERROR in str(exc) else "unreadable_record"] += 1
