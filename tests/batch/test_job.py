import gzip
import json

import pyarrow.parquet as pq
import pytest

from tests.batch.helpers import warc_record_bytes, write_jsonl
from threadguard.batch.checkpoint import JobMismatchError
from threadguard.batch.job import BatchJob
from threadguard.batch.sources import ReadOptions

PAGE = b"Opening hours\n\nThe library opens at nine. What a load of crap."


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    lines = write_jsonl(folder / "a.jsonl", 230, bad_every=40)
    write_jsonl(folder / "b.jsonl", 60)
    data = gzip.compress((folder / "b.jsonl").read_bytes())
    (folder / "b.jsonl").unlink()
    (folder / "b.jsonl.gz").write_bytes(data[: len(data) // 2])  # a cut-off download
    (folder / "c.warc.gz").write_bytes(warc_record_bytes([("conversion", "https://x.example/", PAGE, None)]))
    return folder, lines


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    """The inputs scored once by two local workers, in JSON lines."""
    out = tmp_path_factory.mktemp("ref") / "scores.jsonl"
    job = BatchJob.create([inputs[0]], out, ReadOptions(), chunk_rows=40)
    return job, job.run("local", workers=2, progress=False)


def test_every_row_once_bad_input_reported_and_work_folder_removed(inputs, reference):
    _folder, lines = inputs
    job, summary = reference
    rows = [json.loads(line) for line in job.out.read_text().splitlines()]
    positions = [(r["source_file"], r["source_record"], r["source_item"]) for r in rows]
    assert len(positions) == len(set(positions)) == summary["rows_scored"]
    a_rows = [r for r in rows if r["source_file"].endswith("a.jsonl")]
    assert [r["source_record"] for r in a_rows] == lines["good"]
    assert [r["source_file"].rsplit("/", 1)[1] for r in rows[-1:]] == ["c.warc.gz"]
    assert all(r["model"] == summary["model"] for r in rows)
    errors = [json.loads(line) for line in job.errors_path.read_text().splitlines()]
    assert [e["record"] for e in errors if e["file"].endswith("a.jsonl") and e["skipped"]] == lines["bad"]
    assert {e["reason"] for e in errors if e["file"].endswith("b.jsonl.gz")} >= {"truncated_gzip"}
    assert summary["bad_inputs"] == sum(1 for e in errors if e["skipped"])
    assert (
        summary["repaired"] == sum(1 for e in errors if e["skipped"] is False) >= 2
    )  # a cp1252 line per file
    assert json.loads(job.summary_path.read_text())["complete"] is True
    assert not job.workdir.path.exists()


def test_one_worker_writes_the_same_bytes(inputs, reference, tmp_path):
    job, _ = reference
    one = BatchJob.create([inputs[0]], tmp_path / "scores.jsonl", ReadOptions(), chunk_rows=40)
    one.run("local", workers=1, progress=False)
    assert one.out.read_bytes() == job.out.read_bytes()
    assert one.errors_path.read_bytes() == job.errors_path.read_bytes()


def test_parquet_output_holds_the_same_rows(inputs, reference, tmp_path):
    job, _ = reference
    parquet = BatchJob.create([inputs[0]], tmp_path / "scores.parquet", ReadOptions(), chunk_rows=40)
    parquet.run("local", workers=2, progress=False)
    rows = pq.read_table(parquet.out).to_pylist()
    expected = [json.loads(line) for line in job.out.read_text().splitlines()]
    assert len(rows) == len(expected)
    for row, line in zip(rows, expected, strict=True):
        assert (row["id"], row["attributes"], row["source_record"]) == (
            line["id"],
            line["attributes"],
            line["source_record"],
        )
        assert dict(row["spans"] or []) == line["spans"]


def test_a_finished_job_is_not_run_again(inputs, reference):
    job, summary = reference
    again = BatchJob.create([inputs[0]], job.out, ReadOptions(), chunk_rows=40).run(
        "local", 2, progress=False
    )
    assert again["already_complete"] and again["scored_by"] == summary["run"]
    # this run's own figures, not the earlier run's: nothing scored, no resumed chunks
    assert (again["run"]["rows_scored"], again["run"]["chunks_resumed"]) == (0, 0)
    assert again["run"]["rows_per_second"] == 0 and summary["run"]["rows_scored"] > 0


def test_an_unfinished_run_of_another_job_is_refused(inputs, tmp_path):
    other = BatchJob.create([inputs[0]], tmp_path / "scores.jsonl", ReadOptions(), chunk_rows=41)
    other.workdir.open(other.identity())
    job = BatchJob.create([inputs[0]], tmp_path / "scores.jsonl", ReadOptions(), chunk_rows=40)
    with pytest.raises(JobMismatchError):
        job.run("local", 2, progress=False)
