"""Reading JSON exports that may be cut off or damaged, shared by the JSON-family parsers.

A whole document that does not parse is cut at the first error and its open brackets are closed, so a
truncated export still gives the comments before the cut (counted as "truncated_input"). JSON lines are
read by json_lines.py, the one line reader; `read_records` serves formats that come either way.
Python's json keeps integers exact at any size, so 64-bit ids (Duoshuo) never pass through a float.
`comment_records` turns records into Comments, counting each one read or unreadable, and the field
helpers below read ids, text and timestamps whatever type the export gave them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

from threadguard.ingest.encoding import decode
from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.json_lines import counted_objects
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment

CLOSERS = {"{": "}", "[": "]"}
# A JSON string (group 1: its closing quote, missing when the text ends inside it) or a structural character.
TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(")?|[\[\]{},]', re.DOTALL)
_DECODER = json.JSONDecoder()


def head_text(head: bytes) -> str:
    """The sniffed head as text for pattern checks: BOM dropped, bad bytes replaced, leading space gone."""
    return head.decode("utf-8-sig", errors="replace").lstrip()


def first_line_record(head: bytes) -> Any:
    """The first JSON value of a JSON-lines head; None when its first non-empty line is not complete JSON."""
    for line in head_text(head).split("\n"):  # not splitlines(): JSON strings may hold U+2028 raw
        if line.strip():
            try:
                return _DECODER.raw_decode(line.strip())[0]
            except (json.JSONDecodeError, RecursionError):
                return None
    return None


def read_document(stream: BinaryIO, report: IngestReport) -> Any:
    """The whole stream as one JSON value; what can be recovered of a damaged one; None when empty."""
    return parse_document(stream.read(), report)


def read_object(stream: BinaryIO, report: IngestReport) -> dict[str, Any] | None:
    """The whole stream as one JSON object, for exports that are a single object; any other document is
    "unreadable_record"; None when there is no object."""
    document = read_document(stream, report)
    if isinstance(document, dict):
        return document
    if document is not None:
        report.warnings["unreadable_record"] += 1
    return None


def parse_document(data: bytes, report: IngestReport) -> Any:
    """`data` as one JSON value, recovering the part before a cut or a damaged spot (counted)."""
    text = decode(data, report.warnings)
    if not text.strip():
        report.warnings["empty_input"] += 1
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        prefix = text[: err.pos]
    except RecursionError:
        report.warnings["unreadable_record"] += 1
        return None
    open_brackets, in_string, _ = _scan(text)
    cut_off = in_string or bool(open_brackets)
    report.warnings["truncated_input" if cut_off else "unreadable_record"] += 1
    try:
        return json.loads(_close(prefix))
    except (json.JSONDecodeError, RecursionError):
        return None


def read_records(stream: BinaryIO, report: IngestReport) -> Iterator[Any]:
    """The records of a file that is either JSON lines or one JSON document (a list gives its items).

    The first line decides: a complete JSON object on it means JSON lines, streamed line by line by the
    one JSON-lines reader (json_lines.py).
    """
    start = stream.tell()
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if isinstance(first_line_record(first), dict):
        stream.seek(start)
        yield from counted_objects(stream, report.warnings)
        return
    document = parse_document(first + stream.read(), report)
    if isinstance(document, list):
        yield from document
    elif document is not None:
        yield document


def comment_records(
    records: Iterable[Any], read: Callable[[dict[str, Any]], Comment | None], report: IngestReport
) -> Iterator[tuple[dict[str, Any], Comment]]:
    """(record, comment) for every record `read` makes a comment of, each counted as read; a record that is
    not an object, or lacks what a comment needs (`read` gives None), is counted as "unreadable_record"."""
    for record in records:
        comment = read(record) if isinstance(record, dict) else None
        if comment is None:
            report.warnings["unreadable_record"] += 1
            continue
        report.comments_read += 1
        yield record, comment


def html_comment(
    comment_id: str,
    parent_id: str | None,
    html: Any,
    author: str | None,
    created: Any,
    flags: Iterable[str] = (),
) -> Comment:
    """A Comment from the raw values of a record's fields: the text from HTML (not a string: no text), the
    time in any form `utc_iso` reads, and "author_missing" added when there is no author."""
    return Comment(
        id=comment_id,
        parent_id=parent_id,
        text=html_to_text(as_text(html) or ""),
        author=author,
        created=utc_iso(created),
        flags={*flags, *(() if author else ("author_missing",))},
    )


def _scan(text: str) -> tuple[list[str], bool, int]:
    """The brackets still open at the end of `text`, whether it ends inside a string, and where its last
    complete element ends: just before a comma, just after a closing bracket, or just after an opening
    one (an empty container)."""
    stack: list[str] = []
    in_string = False
    cut = 0
    for token in TOKENS.finditer(text):
        char = token.group()
        in_string = char[0] == '"' and token.group(1) is None
        if char in CLOSERS:
            stack.append(char)
            cut = token.end()
        elif char in "]}" and stack:
            stack.pop()
            cut = token.end()
        elif char == ",":
            cut = token.start()
    return stack, in_string, cut


def _close(prefix: str) -> str:
    """`prefix` cut back to its last complete element, with its open brackets closed."""
    stack, _, cut = _scan(prefix)
    # No bracket opens or closes after the last cut, so the brackets open there are those open at the end.
    return prefix[:cut] + "".join(CLOSERS[b] for b in reversed(stack))


def utc_iso(value: Any) -> str | None:
    """A timestamp as ISO 8601: unix seconds (number or numeric string) and zoned ISO strings become UTC
    ("2015-08-17T09:30:00Z"); a string without a zone is returned as the source gave it."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        try:
            value = float(stripped)
        except ValueError:
            try:
                moment = datetime.fromisoformat(stripped)
            except ValueError:
                return stripped or None
            if moment.tzinfo is None:
                return stripped
            try:
                return _iso(moment)
            except OverflowError:  # "0001-01-01T00:00:00+01:00" has no UTC form: keep it as given
                return stripped
    if isinstance(value, int | float):
        try:
            return _iso(datetime.fromtimestamp(value, UTC))
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def as_id(value: Any) -> str | None:
    """An id as an exact string: strings as given, integers in full; anything else is no id."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def as_text(value: Any) -> str | None:
    """A string field, or None when the field is missing or not a string."""
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list[Any]:
    """A list field, or an empty list when the field is missing or not a list."""
    return value if isinstance(value, list) else []
