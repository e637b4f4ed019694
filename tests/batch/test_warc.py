import io
from collections import Counter

from tests.batch.helpers import FIXTURES, gzip_members, warc_record_bytes
from threadguard.batch.records import Problem, Row
from threadguard.batch.sources import ReadOptions, Source, detect_format
from threadguard.batch.warc import warc_items
from threadguard.ingest import IngestReport
from threadguard.ingest.gzipped import InputFile
from threadguard.ingest.registry import get_format

PAGE = (FIXTURES / "formats" / "html" / "wordpress.html").read_bytes()
DUMP = (FIXTURES / "formats" / "text_dump_seed_like.txt").read_bytes()
PLAIN_PAGE = b"Opening hours\n\nThe library opens at nine on weekdays."


def _records() -> list[tuple[str, str, bytes, str | None]]:
    return [
        ("request", "https://news.example/a", b"", None),
        ("response", "https://news.example/a", PAGE, "text/html; charset=utf-8"),
        ("response", "https://news.example/logo.png", b"\x89PNG....", "image/png"),
        ("conversion", "https://news.example/b", DUMP, None),
        ("conversion", "https://news.example/c", PLAIN_PAGE, None),
    ]


def _items(data: bytes) -> tuple[list, Counter]:
    notes: Counter = Counter()
    return list(warc_items(io.BytesIO(data), notes)), notes


def test_pages_wet_texts_and_other_records(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_record_bytes(_records()))
    assert detect_format(path, ReadOptions()) == "warc"
    source = Source(path, ReadOptions())
    items = list(source.items())
    rows = [i for i in items if isinstance(i, Row)]
    page_comments = [
        c for t in get_format("html").parse(io.BytesIO(PAGE), IngestReport()) for c in t.comments
    ]
    dump_comments = [
        c for t in get_format("text-dump").parse(io.BytesIO(DUMP), IngestReport()) for c in t.comments
    ]
    assert page_comments and dump_comments
    assert [(r.record, r.id, r.thread_id) for r in rows if r.record == 2] == [
        (2, c.id, "https://news.example/a") for c in page_comments
    ]
    assert [(r.id, r.parent_id, r.author) for r in rows if r.record == 4] == [
        (c.id, c.parent_id, c.author) for c in dump_comments
    ]
    [plain] = [r for r in rows if r.record == 5]
    assert plain.text == PLAIN_PAGE.decode() and plain.item is None and plain.id.startswith("<urn:uuid:")
    assert source.notes == {"warc_request_records": 1, "warc_non_html_responses": 1}


def test_truncated_warc_gz_keeps_whole_records_and_reports_the_cut(tmp_path):
    data = warc_record_bytes(_records())
    starts = gzip_members(data)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: starts[4] + 40])  # inside the last record
    items = list(Source(cut, ReadOptions()).items())
    assert {i.record for i in items if isinstance(i, Row)} == {2, 4}
    problems = [(i.record, i.reason, i.skipped) for i in items if isinstance(i, Problem)]
    assert (None, "truncated_gzip", True) in problems


def test_record_shorter_than_its_content_length_is_truncated_record(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_record_bytes(_records()))
    with InputFile(path) as f:
        plain = f.stream.read()
    items, _ = _items(plain[:-200])  # an uncompressed WARC cut inside its last record
    assert [(i.record, i.reason) for i in items if isinstance(i, Problem)] == [(5, "truncated_record")]
    assert {i.record for i in items if isinstance(i, Row)} == {2, 4}
