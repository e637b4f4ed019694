"""The `score --jsonl` line format is a public contract: order, ids, errors, and the stream goes on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadguard.attributes import ATTRIBUTES
from threadguard.cli import app, score_stream
from threadguard.scorer import Scorer


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def run(scorer: Scorer, raw: bytes, batch_size: int = 2) -> list[dict]:
    out = io.StringIO()
    score_stream(scorer, io.BytesIO(raw), out, batch_size=batch_size)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_lines_keep_order_and_ids_across_batches(scorer: Scorer) -> None:
    items = [{"id": i, "text": f"comment number {i} about the budget"} for i in range(7)]
    raw = "".join(json.dumps(item) + "\n" for item in items).encode()
    lines = run(scorer, raw, batch_size=3)
    assert [line["id"] for line in lines] == list(range(7))
    line = lines[0]
    assert set(line) >= {"id", "attributes", "targets", "spans", "flagged", "language", "model"}
    assert list(line["attributes"]) == list(ATTRIBUTES)
    # auto: a comment the fast tier settles records the fast model; one the encoder read records both
    assert (line["tier"], line["model"]) in {("fast", scorer.fast_version), ("accurate", scorer.version)}


def test_bad_lines_become_error_lines_and_the_stream_goes_on(scorer: Scorer) -> None:
    raw = b"".join(
        [
            b'{"id": "a", "text": "fine comment"}\n',
            b"this is not json\n",
            b'{"id": "b"}\n',
            b'{"id": "c", "text": "   "}\n',
            b'["not", "an", "object"]\n',
            b'{"id": "d", "text": "bad byte \xff here"}\n',
            b"\n",
            b'{"id": 12345678901234567890, "text": "big id"}\n',
        ]
    )
    lines = run(scorer, raw)
    assert len(lines) == 7  # the blank line is skipped, every other line answered
    assert [line.get("id") for line in lines] == ["a", None, "b", "c", None, "d", 12345678901234567890]
    assert "error" not in lines[0]
    # the line contract's names, the same as batch's errors file and the ingest report's counts
    assert lines[1]["error"].startswith("invalid_json on line 2")
    assert lines[2]["error"].startswith("missing_text on line 3")
    assert lines[3]["error"].startswith("empty_text on line 4")
    assert lines[4]["error"].startswith("not_an_object on line 5")
    assert "error" not in lines[5] and any("invalid_utf8" in w for w in lines[5]["warnings"])


def test_command_line_round_trip() -> None:
    raw = b'{"id": 1, "text": "You are a complete idiot."}\n{"id": 2, "text": ""}\n'
    done = subprocess.run(
        [sys.executable, "-m", "threadguard", "score", "--jsonl"], input=raw, capture_output=True, check=True
    )
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [line["id"] for line in lines] == [1, 2]
    assert lines[0]["attributes"]["INSULT"] > 0.5 and "error" in lines[1]


def test_table_output_for_one_comment() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "threadguard", "score", "You are a complete idiot."],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    assert "INSULT" in done.stdout and "idiot" in done.stdout


THREADS = Path(__file__).parent / "fixtures" / "threads"
runner = CliRunner()


def test_thread_json_has_every_comment_with_its_place_and_context_effect() -> None:
    result = runner.invoke(app, ["thread", str(THREADS / "report_thread.jsonl"), "--json", "-"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (thread,) = payload["threads"]
    comments = thread["comments"]
    assert [c["id"] for c in comments] == ["1", "2", "3", "4"]
    assert [c["depth"] for c in comments] == [1, 1, 2, 3]
    assert comments[3]["parent_id"] == "3" and comments[3]["author"] == "angry_bob"
    assert comments[1]["context_effect"]["IDENTITY_ATTACK"] > 0.1
    assert payload["summary"]["comments"] == 4 and payload["summary"]["flagged"] >= 2
    assert payload["model"].startswith("tg-") and "+ctx-" in payload["model"]


def test_thread_without_context_reports_no_effect() -> None:
    result = runner.invoke(
        app, ["thread", str(THREADS / "report_thread.jsonl"), "--no-context", "--json", "-"]
    )
    assert result.exit_code == 0, result.output
    comments = json.loads(result.stdout)["threads"][0]["comments"]
    assert all(c["context_effect"] == {} for c in comments)


def test_thread_html_report_is_written_and_escaped(tmp_path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["thread", str(THREADS / "report_thread.jsonl"), "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "&lt;script&gt;" in page and "<script>window" not in page
    assert "angry_bob" in result.output  # the tree is printed too


def test_thread_with_an_unknown_format_is_a_clear_error() -> None:
    result = runner.invoke(app, ["thread", str(THREADS / "report_thread.jsonl"), "--format", "myspace"])
    assert result.exit_code == 2
    assert "unknown format 'myspace'" in " ".join(result.output.split())  # rich wraps long lines


def test_threads_finds_repeat_authors_and_campaigns(tmp_path) -> None:
    out = tmp_path / "threads.json"
    result = runner.invoke(app, ["threads", str(THREADS), "--json", str(out)])
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text("utf-8"))
    assert {"troll_9", "local_reader"} <= set(payload["repeat_authors"])
    assert payload["repeat_authors"]["troll_9"]["flagged"] == 2
    (campaign,) = payload["near_duplicates"]
    assert {p["id"] for p in campaign} == {"a1", "b1"}


def test_a_line_over_the_byte_cap_is_an_error_line_and_memory_stays_bounded(scorer: Scorer) -> None:
    huge = b'{"id": "big", "text": "' + b"a " * (3 * 2**20) + b'"}\n'
    lines = run(scorer, huge + b'{"id": "after", "text": "fine"}\n')
    assert lines[0]["error"].startswith("too_long") and lines[1]["id"] == "after"
