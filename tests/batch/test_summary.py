import io
import json

from rich.console import Console

from threadguard.batch.summary import Summary, print_summary


def _record(index: int, file: str, rows: int, problems: list[dict], notes: dict | None = None) -> dict:
    return {
        "index": index,
        "file": file,
        "format": "jsonl",
        "rows": rows,
        "problems": problems,
        "notes": notes or {},
        "model": "tg-x",
    }


def test_counts_per_file_and_one_errors_line_per_problem():
    errors = io.StringIO()
    summary = Summary(errors)
    bad = {"file": "a", "record": 3, "item": None, "reason": "invalid_json", "detail": "", "skipped": True}
    fixed = {**bad, "record": 5, "reason": "invalid_utf8", "skipped": False}
    counted = {**bad, "record": None, "reason": "orphan", "skipped": None, "count": 4}
    summary.add(_record(0, "a", 10, [bad, fixed]))
    summary.add(_record(1, "a", 5, [counted], {"warc_request_records": 2}))
    summary.add(_record(0, "b", 7, [bad]))
    data = summary.as_dict()
    assert [json.loads(line) for line in errors.getvalue().splitlines()] == [bad, fixed, counted, bad]
    assert (data["rows_scored"], data["bad_inputs"], data["repaired"], data["parser_counted"]) == (
        22,
        2,
        1,
        4,
    )
    assert data["problems"] == {"invalid_json": 2, "invalid_utf8": 1, "orphan": 4}
    assert [f["rows_scored"] for f in data["files"]] == [15, 7] and data["notes"] == {
        "warc_request_records": 2
    }
    console = Console(file=io.StringIO(), width=120)
    print_summary(data, console)
    printed = console.file.getvalue()
    assert "invalid_json" in printed and "total" in printed and "22" in printed
