"""The one JSON-lines reader: its names for bad lines, and the same names from `threadguard score
--jsonl`, `threadguard batch` and the ingest parsers for the same bytes."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from threadguard.batch.records import Problem, Row
from threadguard.batch.sources import ReadOptions, jsonl_items
from threadguard.cli import line_item
from threadguard.ingest import IngestReport, generic
from threadguard.ingest.json_lines import LINE_PROBLEMS, MAX_LINE_BYTES, bounded_lines, line_text, read_lines

# (line, the name it gets) for every name a line can get; None: the line is read
LINES = [
    (b'\xef\xbb\xbf{"id": "bom", "text": "a byte-order mark first"}\n', None),
    (b"this is not json\n", "invalid_json"),
    (b'{"id": "two"} {"id": "values"}\n', "invalid_json"),
    (b'["not", "an", "object"]\n', "not_an_object"),
    (b'{"id": "none"}\n', "missing_text"),
    (b'{"id": "number", "text": 12}\n', "missing_text"),
    (b'{"id": "blank", "text": " \\n "}\n', "empty_text"),
    (b'{"id": "huge", "text": "' + b"x" * MAX_LINE_BYTES + b'"}\n', "too_long"),
    (b"\n", None),  # blank lines are skipped, not counted
    (b'{"id": "body", "body": "body is a text key too"}\n', None),
    (b'{"id": "latin", "text": "caf\xe9 cr\xe8me"}\n', "invalid_utf8"),  # repaired and read
    (b'{"id": "cut", "text": "the file ends in', "truncated_input"),
]
DATA = b"".join(line for line, _ in LINES)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_problem_name_is_documented():
    expected = {name for _, name in LINES if name}
    assert expected == set(LINE_PROBLEMS)
    docs = (DOCS / "batch.md").read_text("utf-8")
    assert all(f"`{name}`" in docs for name in LINE_PROBLEMS)


def test_the_reader_names_each_bad_line_and_keeps_its_number():
    lines = list(read_lines(io.BytesIO(DATA)))
    numbered = {line.number: line for line in lines}
    assert 9 not in numbered  # the blank line
    for number, (_, name) in enumerate(LINES, start=1):
        if number == 9:
            continue
        line = numbered[number]
        if name == "invalid_utf8":
            assert line.repair and "cp1252" in line.repair and line.fields["text"] == "café crème"
        elif name in ("missing_text", "empty_text"):
            assert line_text(line.fields) == (None, name)
        elif name is None:
            assert line.problem is None and line_text(line.fields)[0]
        else:
            assert (line.problem, line.fields) == (name, None), number


def test_cli_batch_and_ingest_give_the_same_names_for_the_same_lines():
    expected = Counter(name for _, name in LINES if name)

    cli = Counter()
    for line in read_lines(io.BytesIO(DATA)):
        item = line_item(line)
        if "error" in item:
            cli[item["error"].split(" ", 1)[0]] += 1
        cli.update(w.split("(")[0].split(": ")[1].strip() for w in item.get("warnings", []))
    batch = Counter(i.reason for i in jsonl_items(io.BytesIO(DATA), ReadOptions()) if isinstance(i, Problem))
    report = IngestReport()
    comments = [c for t in generic.parse(io.BytesIO(DATA), report) for c in t.comments]
    ingest = +report.warnings
    ingest["empty_text"] += sum(1 for c in comments if not c.text.strip())  # ingest keeps empty comments

    assert cli == batch == ingest == expected
    rows = [i.id for i in jsonl_items(io.BytesIO(DATA), ReadOptions()) if isinstance(i, Row)]
    assert rows == ["bom", "body", "latin"]


def test_bounded_lines_never_hold_more_than_the_limit():
    data = b'{"id": 1, "text": "' + b"x" * 5000 + b'"}\n{"id": 2, "text": "fine"}\n{"id": 3, "text": "end"}'
    assert [len(x) if x else x for x in bounded_lines(io.BytesIO(data), limit=1000)] == [None, 26, 24]
