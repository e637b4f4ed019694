import pytest

from threadguard.batch.checkpoint import JobMismatchError, WorkDir
from threadguard.batch.scoring import ScoredChunk


def _meta(file_index: int, index: int, last: bool) -> dict:
    return {"file_index": file_index, "index": index, "last": last, "rows": 0}


def _commit(workdir: WorkDir, file_index: int, index: int, last: bool) -> None:
    key = f"{file_index:05d}-{index:08d}"
    workdir.commit(ScoredChunk(key, b"", _meta(file_index, index, last)))


def test_a_folder_of_another_job_is_refused(tmp_path):
    WorkDir(tmp_path / "w", ".jsonl").open({"inputs": ["a"]})
    WorkDir(tmp_path / "w", ".jsonl").open({"inputs": ["a"]})  # the same job continues
    with pytest.raises(JobMismatchError):
        WorkDir(tmp_path / "w", ".jsonl").open({"inputs": ["b"]})


def test_half_written_files_are_cleared_and_only_committed_chunks_count(tmp_path):
    workdir = WorkDir(tmp_path / "w", ".jsonl")
    workdir.open({})
    _commit(workdir, 0, 0, False)
    (workdir.path / ".00000-00000001.part.jsonl.123.tmp").write_bytes(b"half")
    workdir.part("00000-00000002").write_bytes(b"rows without their record")
    workdir.open({})
    assert workdir.done() == {"00000-00000000"}
    assert not list(workdir.path.glob(".*.tmp"))


def test_records_come_in_order_and_a_gap_is_an_error(tmp_path):
    workdir = WorkDir(tmp_path / "w", ".jsonl")
    workdir.open({})
    for file_index, index, last in [(1, 0, True), (0, 1, True), (0, 0, False)]:
        _commit(workdir, file_index, index, last)
    assert [(r["file_index"], r["index"]) for r in workdir.records(2)] == [(0, 0), (0, 1), (1, 0)]
    with pytest.raises(RuntimeError, match="incomplete"):
        list(workdir.records(3))
    workdir.record("00000-00000000").unlink()
    with pytest.raises(RuntimeError, match="missing"):
        list(workdir.records(2))
