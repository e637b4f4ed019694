"""The JSON-lines contract, read one way for `threadguard score --jsonl`, `threadguard batch` and the
ingest parsers: one JSON object per line, each line held with at most MAX_LINE_BYTES in memory, the
comment's text under one of TEXT_KEYS, and one set of names for what can be wrong with a line.

A bad line is named, never raised, and the stream goes on; each consumer reports the name its own way
(an error line, a problem in the errors file, a count in the ingest report).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

MAX_LINE_BYTES = 4 * 2**20  # a JSON line longer than this is skipped and counted as too_long
TEXT_KEYS = ("text", "body", "comment", "message")  # where a line's comment text may be, first wins
BOM = b"\xef\xbb\xbf"

# Every name a line can get, and what it means; the docs list the same (docs/batch.md, README).
LINE_PROBLEMS = {
    "too_long": f"the line is over {MAX_LINE_BYTES:,} bytes (skipped without being held in memory)",
    "invalid_json": "the line is not one JSON value",
    "truncated_input": "the last line has no line end and is not JSON: the file was cut off",
    "not_an_object": "the line is JSON but not an object",
    "missing_text": f"the object has no string field among {', '.join(TEXT_KEYS)}",
    "empty_text": "the text is empty or only white space",
    "invalid_utf8": "the line was not UTF-8: decoded as detected and kept (a repair, not a loss)",
}


@dataclass(frozen=True)
class Line:
    """One non-blank input line: its object, or the LINE_PROBLEMS name of why there is none. `repair`
    says how a line that was not UTF-8 was decoded (the object is still there)."""

    number: int
    fields: dict[str, Any] | None
    problem: str | None = None
    detail: str = ""
    repair: str | None = None

    @property
    def warning(self) -> str | None:
        """The warning a scored row of a repaired line carries."""
        return repair_warning(self.repair) if self.repair else None


def repair_warning(repair: str) -> str:
    """The warning on a row whose input was not UTF-8 and was decoded as `repair` says."""
    return f"INPUT_REPAIRED: invalid_utf8 ({repair})"


def read_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """Every non-blank line of a JSON-lines stream, numbered from 1, in order."""
    for number, raw in enumerate(bounded_lines(stream, limit), start=1):
        if raw is None:
            yield Line(number, None, "too_long", f"the line is over {limit:,} bytes")
            continue
        if not raw.strip():
            continue
        text, repair = decode_line(raw, number)
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            problem = "invalid_json" if raw.endswith(b"\n") else "truncated_input"
            yield Line(number, None, problem, getattr(exc, "msg", str(exc)), repair)
            continue
        if not isinstance(value, dict):
            yield Line(number, None, "not_an_object", f"a JSON {type(value).__name__}", repair)
            continue
        yield Line(number, value, repair=repair)


def counted_objects(stream: IO[bytes], warnings: Counter[str]) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-lines stream for a parser that only counts: each bad line adds its name
    to `warnings`, and each repaired one "invalid_utf8"."""
    for line in read_lines(stream):
        if line.repair:
            warnings["invalid_utf8"] += 1
        if line.fields is None:
            warnings[str(line.problem)] += 1
            continue
        yield line.fields


def line_text(fields: Mapping[str, Any], text_field: str | None = None) -> tuple[str | None, str | None]:
    """(text, None) for a line with text to score, else (None, "missing_text" or "empty_text").
    The text is `text_field` when given, else the first of TEXT_KEYS that is a string."""
    if text_field:
        text = fields.get(text_field)
    else:
        text = next((fields[k] for k in TEXT_KEYS if isinstance(fields.get(k), str)), None)
    if not isinstance(text, str):
        return None, "missing_text"
    if not text.strip():
        return None, "empty_text"
    return text, None


def decode_line(raw: bytes, number: int) -> tuple[str, str | None]:
    """The text of one line and, when it was not UTF-8, how it was decoded (e.g. "encoding_cp1252").
    A byte-order mark on the first line is dropped."""
    if number == 1 and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        # imported here: charset detection (charset_normalizer, 10-30 ms to import) is for non-UTF-8 only
        from threadguard.ingest.encoding import decode

        found: Counter[str] = Counter()
        text = decode(raw, found)
        return text, f"not UTF-8 ({', '.join(sorted(found)) or 'decoded'})"


def bounded_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The stream's lines, each read with at most `limit` bytes in memory; None stands for a longer line,
    which is skipped to its end chunk by chunk (one huge row never takes more than `limit`)."""
    while raw := stream.readline(limit + 1):
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw
            continue
        while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
            pass
        yield None
