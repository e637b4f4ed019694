import gzip

import pyarrow as pa
import pyarrow.parquet as pq

from tests.batch.helpers import FIXTURES, write_jsonl
from tests.ingest.helpers import FIXTURES as FORMATS
from tests.ingest.helpers import comment_lines, gzip_with_bad_checksum
from threadguard.batch.records import Problem, Row
from threadguard.batch.sources import ReadOptions, Source, detect_format, mapping_items
from threadguard.ingest import IngestReport, read_threads


def _items(path, **options):
    return list(Source(path, ReadOptions(**options)).items())


def test_jsonl_rows_and_bad_lines_keep_their_line_numbers(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = write_jsonl(path, 12, bad_every=3)
    items = _items(path)
    rows = [i for i in items if isinstance(i, Row)]
    skipped = [i for i in items if isinstance(i, Problem) and i.skipped]
    assert [r.record for r in rows] == lines["good"]
    assert sorted(p.record for p in skipped) == lines["bad"]
    assert {p.reason for p in skipped} == {"invalid_json", "not_an_object", "missing_text", "empty_text"}
    assert rows[0].id == "c0" and rows[0].author == "a0"


def test_a_line_in_another_encoding_is_scored_and_reported(tmp_path):
    path = tmp_path / "in.jsonl"
    write_jsonl(path, 5)
    items = _items(path)
    repaired = [i for i in items if isinstance(i, Problem)]
    assert len(repaired) == 1 and repaired[0].reason == "invalid_utf8" and not repaired[0].skipped
    row = next(i for i in items if isinstance(i, Row) and i.record == repaired[0].record)
    assert row.text.endswith("café") and row.warnings[0].startswith("INPUT_REPAIRED: invalid_utf8")


def test_truncated_gzip_jsonl_counts_the_cut(tmp_path):
    plain = tmp_path / "in.jsonl"
    write_jsonl(plain, 200)
    data = gzip.compress(plain.read_bytes())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = _items(path)
    rows = [i for i in items if isinstance(i, Row)]
    assert 0 < len(rows) < 200
    assert [i.reason for i in items if isinstance(i, Problem)][-1] == "truncated_gzip"


def test_a_crc_error_mid_file_keeps_every_intact_row_and_counts_the_damage(tmp_path):
    """Issue 10: a .jsonl.gz whose checksum fails mid-file gave 0 rows; every row before the damage counts."""
    parts = [comment_lines(100, 100 * k) for k in range(5)]
    path = tmp_path / "crc.jsonl.gz"
    path.write_bytes(gzip_with_bad_checksum(parts, bad=2))
    items = _items(path)
    assert [i.id for i in items if isinstance(i, Row)] == [f"c{i}" for i in range(300)]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert (problem.reason, problem.record, problem.skipped) == ("corrupt_gzip", None, True)
    assert "compressed byte" in problem.detail and "incorrect data check" in problem.detail


def test_a_thread_format_in_a_damaged_gzip_keeps_its_comments(tmp_path):
    lines = (FORMATS / "pushshift.ndjson").read_bytes().splitlines(keepends=True)
    whole = tmp_path / "whole.ndjson"
    whole.write_bytes(b"".join(lines))
    path = tmp_path / "export.ndjson.gz"
    path.write_bytes(gzip_with_bad_checksum([b"".join(lines[:-1]), lines[-1]], bad=1))
    expected = _items(whole)
    items = _items(path)
    assert [i.id for i in items if isinstance(i, Row)] == [i.id for i in expected if isinstance(i, Row)]
    damaged = [i.reason for i in items if isinstance(i, Problem) and i.skipped]
    assert damaged == [*(i.reason for i in expected if isinstance(i, Problem) and i.skipped), "corrupt_gzip"]


def test_csv_with_quoted_newlines_named_columns_and_short_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('comment_id,body_text,extra\n1,"two\nlines",x\n2,short\n3,plain,y\n', encoding="utf-8")
    items = _items(path, text_field="body_text", id_field="comment_id")
    assert [(i.record, i.id, i.text) for i in items if isinstance(i, Row)] == [
        (2, "1", "two\nlines"),
        (5, "3", "plain"),
    ]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert (problem.record, problem.reason) == (4, "malformed_csv")


def test_parquet_rows_are_streamed_with_row_numbers(tmp_path):
    path = tmp_path / "in.parquet"
    table = pa.table(
        {"id": [1, 2, 3, 4], "text": ["a b c", None, "d e", " "], "thread_id": ["t", "t", "u", "u"]}
    )
    pq.write_table(table, path, row_group_size=2)
    items = _items(path)
    assert [(i.record, i.id, i.thread_id) for i in items if isinstance(i, Row)] == [
        (1, "1", "t"),
        (3, "3", "u"),
    ]
    assert [(i.record, i.reason) for i in items if isinstance(i, Problem)] == [
        (2, "missing_text"),
        (4, "empty_text"),
    ]


def test_damaged_parquet_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    [problem] = _items(path)
    assert problem.reason == "unreadable_parquet" and problem.skipped


def test_thread_formats_give_one_row_per_comment_with_tree_fields():
    path = FIXTURES / "formats" / "pushshift.ndjson"
    assert detect_format(path, ReadOptions()) == "pushshift"
    rows = [i for i in _items(path) if isinstance(i, Row)]
    threads = list(read_threads(path, report=IngestReport()))
    expected = [(c.id, c.parent_id, c.author) for t in threads for c in t.comments if c.text.strip()]
    assert [(r.id, r.parent_id, r.author) for r in rows] == expected
    assert all(r.item is not None for r in rows)


def test_generic_jsonl_is_streamed_as_rows_not_collected_as_threads():
    path = FIXTURES / "formats" / "generic.jsonl"
    assert detect_format(path, ReadOptions()) == "jsonl"
    rows = [i for i in _items(path) if isinstance(i, Row)]
    assert rows[0].thread_id == "t-1" and rows[1].text == "And water." and rows[2].parent_id == "2"


def test_unknown_input_is_reported(tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01 nothing we know")
    [problem] = _items(path)
    assert problem.reason == "unknown_format" and problem.skipped


def test_every_shared_format_sample_is_read_without_failing(shared_formats):
    samples = [
        p for p in sorted(shared_formats.rglob("*")) if p.is_file() and p.suffix not in (".md", ".tsv")
    ]
    rows = 0
    for path in samples:
        items = _items(path)
        failures = [
            i for i in items if isinstance(i, Problem) and i.reason in ("unreadable_file", "unknown_format")
        ]
        assert not failures, (path, failures)
        rows += sum(isinstance(i, Row) for i in items)
    assert len(samples) > 50 and rows > 1000


def test_an_error_line_carries_the_input_id_and_no_null_item() -> None:
    [problem] = mapping_items(7, {"id": "c-42", "text": "   "}, ReadOptions())
    assert isinstance(problem, Problem)
    assert problem.as_line("in.jsonl") == {
        "file": "in.jsonl", "record": 7, "id": "c-42", "reason": "empty_text",
        "detail": "the text is empty", "skipped": True,
    }  # fmt: skip
    [no_id] = mapping_items(8, {"body": 3}, ReadOptions())
    assert isinstance(no_id, Problem) and "id" not in no_id.as_line("in.jsonl")


def test_a_csv_text_over_the_comment_cap_is_cut_scored_and_counted(tmp_path) -> None:
    from threadguard.ingest.limits import MAX_COMMENT_CHARS

    path = tmp_path / "long.csv"
    path.write_text(f"id,text\nlong,{'w' * (MAX_COMMENT_CHARS + 10)}\nshort,fine\n", encoding="utf-8")
    problem, long, short = _items(path)
    assert (problem.reason, problem.record, problem.skipped, problem.id) == ("too_long", 2, False, "long")
    assert len(long.text) == MAX_COMMENT_CHARS and long.warnings[0].startswith("INPUT_TRUNCATED")
    assert (short.id, short.text, short.warnings) == ("short", "fine", ())


def test_a_csv_field_over_the_field_cap_is_too_long_and_skipped(tmp_path) -> None:
    from threadguard.ingest.limits import MAX_FIELD_CHARS

    path = tmp_path / "huge.csv"
    path.write_text(f"id,text\nhuge,{'w' * (MAX_FIELD_CHARS + 1)}\nshort,fine\n", encoding="utf-8")
    problem, row = _items(path)
    assert (problem.reason, problem.record, problem.skipped) == ("too_long", 2, True)
    assert (row.id, row.text) == ("short", "fine")


def test_a_line_over_the_cap_is_counted_as_too_long_and_the_next_line_still_scores() -> None:
    import io

    from threadguard.batch.sources import jsonl_items

    huge = b'{"id": 1, "text": "' + b"x" * (5 * 2**20) + b'"}\n{"id": 2, "text": "ok"}\n'
    items = list(jsonl_items(io.BytesIO(huge), ReadOptions()))
    assert isinstance(items[0], Problem) and items[0].reason == "too_long" and items[0].record == 1
    assert isinstance(items[1], Row) and (items[1].record, items[1].id) == (2, "2")
