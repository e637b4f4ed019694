"""The JSON-family and CSV fixtures: each is recognised as its format, and cut-off or corrupted copies
give counted warnings, never an exception, never an invented or lost comment."""

from __future__ import annotations

import io
import random

import pytest

from tests.ingest.helpers import comment_lines, gzip_with_bad_checksum
from threadguard.ingest import IngestReport, read_threads
from threadguard.ingest.registry import SNIFF_BYTES, get_format, sniff_format

DOCUMENTS = {
    "reddit_thread.json": "reddit",
    "reddit_morechildren.json": "reddit",
    "reddit_user_listing.json": "reddit",
    "hn_poll.json": "hn",
    "remark42_tree.json": "remark42",
    "commento.json": "commento",
    "discourse_topic.json": "discourse",
    "discourse_latest.json": "discourse",
    "duoshuo.json": "duoshuo",
    "isso.json": "isso",
}
LINES = {
    "pushshift.ndjson": "pushshift",
    "hn_items.jsonl": "hn",
    "remark42_backup.ndjson": "remark42",
    "livefyre_comments.ndjson": "livefyre",
    "generic.jsonl": "jsonl",
}
TABLES = {"generic.csv": "csv", "generic_latin1.csv": "csv"}
ALL = {**DOCUMENTS, **LINES, **TABLES}


def _read(format_name: str, data: bytes) -> tuple[set[str], IngestReport]:
    report = IngestReport()
    ids = set()
    for thread in get_format(format_name).parse(io.BytesIO(data), report):
        report.count_thread(thread)
        ids.update(c.id.split("~")[0] for c in thread.comments)
    assert report.unaccounted == 0, report.as_dict()
    return ids, report


@pytest.mark.parametrize("name", sorted(ALL))
def test_fixture_is_recognised_as_its_format(name, fixtures_dir):
    path = fixtures_dir / name
    assert sniff_format(path.read_bytes()[:SNIFF_BYTES], name).name == ALL[name]


def _cuts(data: bytes) -> list[int]:
    end = len(data.rstrip())
    return sorted({1, 2, end - 1, *range(1, end, max(1, end // 40))})


@pytest.mark.parametrize("name", sorted({**DOCUMENTS, **LINES}))
def test_cut_input_is_counted_and_keeps_only_real_comments(name, fixtures_dir):
    """Every cut is "truncated_input", except a JSON-lines file cut at a line end: its lines are whole."""
    data = (fixtures_dir / name).read_bytes()
    full, _ = _read(ALL[name], data)
    for cut in _cuts(data):
        ids, report = _read(ALL[name], data[:cut])
        whole_lines = name in LINES and data[:cut].endswith(b"\n")
        assert report.warnings["truncated_input"] == (0 if whole_lines else 1), (cut, report.as_dict())
        assert ids <= full, cut


@pytest.mark.parametrize("name", sorted(TABLES))
def test_cut_csv_never_raises(name, fixtures_dir):
    data = (fixtures_dir / name).read_bytes()
    for cut in _cuts(data):
        _read(TABLES[name], data[:cut])


@pytest.mark.parametrize("name", sorted(ALL))
def test_corrupted_bytes_never_raise(name, fixtures_dir):
    data = (fixtures_dir / name).read_bytes()
    rng = random.Random(name)
    noise = b'{}[]",:\\\n\x00\xff\xc3tf0-'
    for _ in range(25):
        damaged = bytearray(data)
        for _ in range(3):
            damaged[rng.randrange(len(damaged))] = rng.choice(noise)
        _read(ALL[name], bytes(damaged))


@pytest.mark.parametrize("name", sorted(ALL))
def test_empty_and_blank_input(name):
    for data in (b"", b"\n \n"):
        ids, report = _read(ALL[name], data)
        assert ids == set() and report.threads == 0


def test_a_gzip_with_a_crc_error_mid_file_keeps_the_rows_before_it(tmp_path):
    """Issue 10: 498 intact rows read back as 0. Now the members before the damage and the damaged
    member's own rows are read, and the damage is counted and located."""
    parts = [comment_lines(100, 100 * k) for k in range(5)]
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip_with_bad_checksum(parts, bad=3))
    report = IngestReport()
    threads = list(read_threads(path, report=report))
    assert report.format == "jsonl" and report.comments_read == 400
    assert [c.id for c in threads[0].comments] == [f"c{i}" for i in range(400)]
    assert report.warnings["corrupt_gzip"] == 1 and report.unaccounted == 0
    damage = report.as_dict()["damage"]
    assert (
        damage["reason"] == "corrupt_gzip"
        and damage["offset"] > 0
        and "incorrect data check" in damage["detail"]
    )


def test_a_cut_gzip_keeps_the_whole_lines_and_counts_the_cut(tmp_path):
    import gzip

    data = gzip.compress(comment_lines(300))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    report = IngestReport()
    comments = [c for t in read_threads(path, report=report) for c in t.comments]
    assert comments and [c.id for c in comments] == [f"c{i}" for i in range(len(comments))]
    assert report.warnings["truncated_gzip"] == 1 and report.damage.offset == len(data) * 2 // 3
