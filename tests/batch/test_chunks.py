import itertools

from tests.batch.helpers import write_jsonl
from threadguard.batch.chunks import read_chunks
from threadguard.batch.records import Problem
from threadguard.batch.sources import ReadOptions


def test_chunks_cover_every_row_and_problem_once_in_order(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = write_jsonl(path, 95, bad_every=10)
    chunks = list(read_chunks(3, path, ReadOptions(), size=20))
    assert [c.index for c in chunks] == list(range(len(chunks))) and chunks[-1].last
    assert not any(c.last for c in chunks[:-1]) and all(c.file_index == 3 for c in chunks)
    assert all(len(c.rows) + len(c.problems) <= 20 for c in chunks)
    assert [r.record for c in chunks for r in c.rows] == lines["good"]
    skipped = [p.record for c in chunks for p in c.problems if isinstance(p, Problem) and p.skipped]
    assert skipped == lines["bad"]
    assert chunks[0].bytes_read[0] == 0 and chunks[-1].bytes_read[1] == path.stat().st_size
    assert all(a.bytes_read[1] == b.bytes_read[0] for a, b in itertools.pairwise(chunks))


def test_an_empty_file_still_has_its_last_chunk(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    [chunk] = read_chunks(0, path, ReadOptions(format="jsonl"), size=10)
    assert chunk.last and not chunk.rows and not chunk.problems


def test_long_texts_close_a_chunk_early(tmp_path, monkeypatch):
    from threadguard.batch import chunks as chunks_module

    monkeypatch.setattr(chunks_module, "MAX_CHUNK_CHARS", 500)
    path = tmp_path / "in.jsonl"
    write_jsonl(path, 40)
    chunks = list(read_chunks(0, path, ReadOptions(), size=1000))
    assert len(chunks) > 3 and all(sum(len(r.text) for r in c.rows[:-1]) < 500 for c in chunks)
    assert sum(len(c.rows) for c in chunks) == 40
