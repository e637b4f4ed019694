import json

import pytest

from tests.batch.helpers import COMMENTS, FIXTURES
from threadguard.batch.chunks import Chunk
from threadguard.batch.records import Row
from threadguard.batch.scoring import SOURCE_FIELDS, ChunkScorer, ScoreOptions


@pytest.fixture(scope="module")
def chunk() -> Chunk:
    rows = [Row(i + 1, None, f"c{i}", text, "t1", None, "ann") for i, text in enumerate(COMMENTS)]
    rows[2] = Row(3, None, "c2", COMMENTS[2], warnings=("INPUT_REPAIRED: invalid_utf8 (not UTF-8)",))
    return Chunk(0, 0, "in.jsonl", "jsonl", rows=rows)


@pytest.fixture(scope="module")
def full() -> ChunkScorer:
    return ChunkScorer(ScoreOptions(spans=True))


def test_default_lines_are_the_engine_line_format_plus_source_fields(chunk, full):
    lines = full.lines(chunk)
    expected = [r.to_line(row.id) for r, row in zip(full.scorer.score(COMMENTS), chunk.rows, strict=True)]
    for line, want, row in zip(lines, expected, chunk.rows, strict=True):
        source = {key: line.pop(key) for key in SOURCE_FIELDS}
        assert source == {
            "source_file": "in.jsonl",
            "source_record": row.record,
            "source_item": None,
            "thread_id": row.thread_id,
            "parent_id": None,
            "author": row.author,
        }
        if row.warnings:
            assert line["warnings"][0] == row.warnings[0]
            line["warnings"] = line["warnings"][1:] or None
            line = {k: v for k, v in line.items() if v is not None}
        assert line == want
    assert any(line["spans"] for line in lines) and all(
        line["model"] == full.scorer.version for line in lines
    )


def test_fast_mode_gives_the_same_scores_without_spans(chunk, full):
    fast = ChunkScorer(ScoreOptions(spans=False)).lines(chunk)
    for quick, line in zip(fast, full.lines(chunk), strict=True):
        assert "spans" not in quick and "language" not in quick
        assert (quick["attributes"], quick["targets"], quick["flagged"]) == (
            line["attributes"],
            line["targets"],
            line["flagged"],
        )


def test_a_scored_chunk_records_what_it_held(chunk, full):
    scored = full(chunk)
    assert scored.key == "00000-00000000"
    assert scored.part.count(b"\n") == len(COMMENTS) == scored.meta["rows"]
    assert scored.meta["model"] == full.scorer.version and scored.meta["problems"] == []


def test_comments_of_a_thread_format_are_scored_in_context(tmp_path):
    from typer.testing import CliRunner

    from threadguard.cli import app

    out = tmp_path / "scored.jsonl"
    source = FIXTURES / "batch" / "context_dump.txt"
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = {line["author"]: line for line in map(json.loads, out.read_text("utf-8").splitlines())}
    assert set(lines) == {"angry_bob", "folk_fan"}
    assert lines["angry_bob"]["context_effect"]["IDENTITY_ATTACK"] > 0.1
    assert "+ctx-" in lines["angry_bob"]["model"]
    assert not lines["folk_fan"]["flagged"]


def test_parquet_output_keeps_the_context_effect(tmp_path):
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from threadguard.cli import app

    out = tmp_path / "scored.parquet"
    source = FIXTURES / "batch" / "context_dump.txt"
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = {row["author"]: row for row in pq.read_table(out).to_pylist()}
    assert dict(rows["angry_bob"]["context_effect"])["IDENTITY_ATTACK"] > 0.1
