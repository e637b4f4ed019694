"""Input readers: each input file becomes a stream of Rows and Problems in file order.

Row formats (one comment per line or row; read here, streaming): "jsonl", "csv" and "parquet", with the
fields of threadguard's generic format (`id`, `text` or `body`/`comment`/`message`, `thread_id`,
`parent_id`, `author`), or the columns named by `text_field` / `id_field`. Web archives: "warc" (see
warc.py). Every other name of `threadguard.ingest.FORMATS` is read as threads with `read_threads`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadguard.batch.records import Problem, Row
from threadguard.ingest import FORMATS, UnknownFormatError, read_threads
from threadguard.ingest.generic import PARENT_KEYS
from threadguard.ingest.generic_csv import allow_long_fields
from threadguard.ingest.gzipped import InputFile
from threadguard.ingest.json_input import as_id, as_text
from threadguard.ingest.json_lines import TEXT_KEYS, decode_line, line_text, read_lines, repair_warning
from threadguard.ingest.limits import FIELD_LIMIT_ERROR, MAX_COMMENT_CHARS, cap_text
from threadguard.ingest.registry import SNIFF_BYTES, sniff_format
from threadguard.ingest.report import IngestReport
from threadguard.thread.scoring import thread_context

ROW_FORMATS = ("jsonl", "csv", "parquet", "warc")
FORMAT_NAMES = ("auto", *ROW_FORMATS, *(name for name in FORMATS if name not in ROW_FORMATS))
CSV_DELIMITERS = (",", "\t", ";")
PARQUET_BATCH = 4096
Item = Row | Problem


@dataclass(frozen=True)
class ReadOptions:
    """How to read the inputs; part of the job's identity (changing it changes the output)."""

    format: str = "auto"
    text_field: str | None = None
    id_field: str | None = None


class Source:
    """One input file being read: `items()` in file order, `position()` in raw bytes for progress, and
    `notes` (things counted that are not bad input, e.g. WARC request records) once read."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path = path
        self.options = options
        self.size = path.stat().st_size
        self.format = detect_format(path, options)
        self.notes: Counter[str] = Counter()
        self._position: Callable[[], int] = lambda: 0

    def position(self) -> int:
        return self._position()

    def items(self) -> Iterator[Item]:
        if self.format in ("jsonl", "csv", "warc"):
            with InputFile(self.path) as file:
                self._position = file.position
                if self.format == "warc":
                    from threadguard.batch.warc import warc_items

                    yield from warc_items(file.stream, self.notes)
                else:
                    yield from (jsonl_items if self.format == "jsonl" else csv_items)(
                        file.stream, self.options
                    )
                damage = file.damage()
            if damage:
                yield Problem(None, None, damage.reason, str(damage), True)
        elif self.format == "parquet":
            yield from self._parquet_items()
        else:
            yield from thread_items(self.path, self.format)
        self._position = lambda: self.size

    def _parquet_items(self) -> Iterator[Item]:
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            yield Problem(None, None, "unreadable_parquet", f"{type(exc).__name__}: {exc}", True)
            return
        total = max(parquet.metadata.num_rows, 1)
        names = parquet.schema_arrow.names
        text = self.options.text_field or next((k for k in TEXT_KEYS if k in names), None)
        if text not in names:
            yield Problem(None, None, "missing_text", f"no text column among {names}", True, total)
            return
        wanted = (text, self.options.id_field or "id", "thread_id", *PARENT_KEYS, "author")
        columns = [name for name in dict.fromkeys(wanted) if name in names]
        start = 0
        for group in range(parquet.num_row_groups):
            record = start
            try:
                for batch in parquet.iter_batches(PARQUET_BATCH, row_groups=[group], columns=columns):
                    for fields in batch.to_pylist():
                        record += 1
                        self._position = lambda r=record: self.size * r // total
                        yield from mapping_items(record, fields, self.options)
            except Exception as exc:  # a damaged row group: count what it held, go on with the next
                lost = parquet.metadata.row_group(group).num_rows - (record - start)
                yield Problem(
                    record + 1, None, "unreadable_row_group", f"{type(exc).__name__}: {exc}", True, lost
                )
            start += parquet.metadata.row_group(group).num_rows


def detect_format(path: Path, options: ReadOptions) -> str:
    """The format asked for, or told from the file name and its first bytes."""
    if options.format != "auto":
        return options.format
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    with InputFile(path) as file:
        head = file.stream.read(SNIFF_BYTES)
    if name.endswith((".warc", ".wet", ".wat")) or head.startswith(b"WARC/"):
        return "warc"
    row_file = (
        "jsonl"
        if name.endswith((".jsonl", ".ndjson"))
        else "csv"
        if name.endswith((".csv", ".tsv"))
        else None
    )
    if row_file and (options.text_field or options.id_field):
        return row_file
    try:
        found = sniff_format(head, name).name
    except UnknownFormatError:
        return row_file or "auto"  # read_threads then says clearly that the format is unknown
    return found if found not in ("jsonl", "csv") or not row_file else row_file


def mapping_items(
    record: int, fields: Mapping[str, Any], options: ReadOptions, warnings: tuple[str, ...] = ()
) -> Iterator[Item]:
    """A Row from a JSON object, CSV row or Parquet row; a Problem when it has no text to score
    ("missing_text" / "empty_text", as the line contract names them). A text over MAX_COMMENT_CHARS is
    cut there, before it travels to a worker: the row is scored with a warning, and "too_long" counted."""
    text, problem = line_text(fields, options.text_field)
    row_id = as_id(fields.get(options.id_field or "id"))
    if text is None:
        wanted = options.text_field or "/".join(TEXT_KEYS)
        detail = f"no string field {wanted!r}" if problem == "missing_text" else "the text is empty"
        yield Problem(record, None, str(problem), detail, True, id=row_id)
        return
    text, cut = cap_text(text)
    if cut:
        detail = f"the text is over {MAX_COMMENT_CHARS:,} characters; the rest was dropped"
        yield Problem(record, None, "too_long", detail, False, id=row_id)
        warnings = (*warnings, f"INPUT_TRUNCATED: {detail}")
    yield Row(
        record=record,
        item=None,
        id=row_id,
        text=text,
        thread_id=as_id(fields.get("thread_id")),
        parent_id=next(filter(None, (as_id(fields.get(key)) for key in PARENT_KEYS)), None),
        author=as_text(fields.get("author")) or None,
        warnings=warnings,
    )


def jsonl_items(stream: io.BufferedIOBase, options: ReadOptions) -> Iterator[Item]:
    """Rows of a JSON-lines file, read by the one line reader; every bad line is a Problem."""
    for line in read_lines(stream):
        if line.repair:
            yield Problem(line.number, None, "invalid_utf8", line.repair, False)
        if line.fields is None:
            yield Problem(line.number, None, str(line.problem), line.detail, True)
            continue
        warning = line.warning
        yield from mapping_items(line.number, line.fields, options, (warning,) if warning else ())


def csv_items(stream: io.BufferedIOBase, options: ReadOptions) -> Iterator[Item]:
    """CSV with a header row; quoted fields may span lines; the record number is its first line."""
    line = 0
    repairs: list[Problem] = []

    def lines() -> Iterator[str]:
        nonlocal line
        for raw in stream:
            line += 1
            text, repair = decode_line(raw, line)
            if repair:
                repairs.append(Problem(line, None, "invalid_utf8", repair, False))
            yield text

    allow_long_fields()
    source = lines()
    header_line = next(source, None)
    if header_line is None:
        return
    delimiter = max(CSV_DELIMITERS, key=header_line.count)
    header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter))]
    reader = csv.reader(source, delimiter=delimiter)
    yield from repairs
    while True:
        repairs.clear()
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = "too_long" if FIELD_LIMIT_ERROR in str(exc) else "malformed_csv"
            yield Problem(start, None, reason, str(exc), True)
            continue
        yield from (Problem(start, None, p.reason, p.detail, False) for p in repairs)
        if not any(values):
            continue
        if len(values) != len(header):
            detail = f"{len(values)} fields, the header has {len(header)}"
            yield Problem(start, None, "malformed_csv", detail, True)
            continue
        warnings = tuple(repair_warning(p.detail) for p in repairs)
        yield from mapping_items(start, dict(zip(header, values, strict=True)), options, warnings)


def thread_items(path: Path, format: str) -> Iterator[Item]:
    """Comments of a thread format, numbered thread by thread; what the parser counted is reported at
    the end of the file (its warnings have no positions)."""
    report = IngestReport()
    number = 0
    try:
        for number, thread in enumerate(read_threads(path, format, report), start=1):
            index = thread.by_id()
            for item, comment in enumerate(thread.comments, start=1):
                if not comment.text.strip():
                    yield Problem(number, item, "empty_text", "the comment has no text", True, id=comment.id)
                    continue
                yield Row(
                    number,
                    item,
                    comment.id,
                    comment.text,
                    thread.id or thread.url,
                    comment.parent_id,
                    comment.author,
                    context=thread_context(thread, comment, index),
                )
    except UnknownFormatError as exc:
        yield Problem(None, None, "unknown_format", str(exc), True)
    except Exception as exc:  # a parser failing on one file must not stop a crawl-sized job
        yield Problem(number + 1, None, "unreadable_file", f"{type(exc).__name__}: {exc}", True)
    if report.damage:
        yield Problem(None, None, report.damage.reason, str(report.damage), True)
    for reason, count in sorted(report.warnings.items()):
        if report.damage and reason == report.damage.reason:
            continue
        yield Problem(None, None, reason, f"counted by the {report.format or format} parser", None, count)
