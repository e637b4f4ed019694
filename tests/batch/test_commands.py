import json

from typer.testing import CliRunner

from tests.batch.helpers import run_cli
from threadguard.cli import app


def test_csv_with_named_columns_in_fast_mode_prints_the_summary(tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(
        'cid,comment_text\n7,"Thanks for the update."\n8,""\n9,"What a load of crap."\n', encoding="utf-8"
    )
    out = tmp_path / "scores.jsonl"
    result = run_cli(
        source,
        "--out",
        out,
        "--text-field",
        "comment_text",
        "--id-field",
        "cid",
        "--no-spans",
        "--no-progress",
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["source_record"]) for r in rows] == [("7", 2), ("9", 4)]
    assert all("spans" not in r and r["model"].startswith("tg-") for r in rows)
    assert "empty_text" in result.stderr and "scored" in result.stderr
    summary = json.loads((tmp_path / "scores.summary.json").read_text())
    assert (summary["rows_scored"], summary["bad_inputs"], summary["problems"]) == (2, 1, {"empty_text": 1})


def test_bad_options_are_refused_before_any_work(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "hello"}\n')
    runner = CliRunner()
    for args, message in [
        (["--format", "docx"], "--format"),
        (["--address", "auto"], "--engine ray"),
        (["--engine", "spark"], "--engine"),
    ]:
        result = runner.invoke(app, ["batch", str(source), "--out", str(tmp_path / "o.jsonl"), *args])
        assert result.exit_code == 2 and message in result.output
    result = runner.invoke(
        app, ["batch", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 2 and "input not found" in result.output
    result = runner.invoke(app, ["batch", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and ".parquet" in result.output
