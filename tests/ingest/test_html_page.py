"""Saved HTML pages as a format: sniffing, decoding, one thread per page, and pages cut short."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from threadguard.ingest import IngestReport, html_page, read_threads

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "html"
SAMPLE_FOLDERS = (
    "html_wordpress_comments",
    "html_wpdiscuz",
    "html_forum_threads",
    "html_other_cms_comments",
    "html_reddit",
)
CUTS = (0.03, 0.4, 0.85)  # fractions of each file kept


def read(path: Path) -> tuple[list, IngestReport]:
    report = IngestReport()
    threads = list(read_threads(path, report=report))
    return threads, report


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        (b"<!DOCTYPE html><html><body></body></html>", "page", True),
        (b"\xef\xbb\xbf  <!-- saved by a browser -->\n<html lang='de'>", "download", True),
        (b'<?xml version="1.0"?><!doctype HTML PUBLIC "-//W3C//DTD XHTML 1.0//EN">', "x", True),
        (b"anything at all", "thread.HTM", True),
        (b'<?xml version="1.0"?><rss version="2.0">', "export.xml", False),
        (b'{"html": "<html>"}', "data.json", False),
        (b"Title\n\nArticle text\n\n  \xe2\x80\xa2 author", "dump.txt", False),
    ],
)
def test_sniff(head, filename, expected):
    assert html_page.sniff(head, filename) is expected


def test_page_without_comments_is_a_thread_with_a_warning():
    threads, report = read(PAGES / "no_comments.html")
    [thread] = threads
    assert thread.comments == [] and thread.warnings["no_comments_found"] == 1
    assert report.warnings["no_comments_found"] == 1 and report.comments_read == 0
    assert thread.title == "A page without any comments"
    assert "comment section" in thread.article


def test_title_falls_back_to_the_page_heading():
    """A page too small for trafilatura still gets its <h1> as title."""
    report = IngestReport()
    [thread] = html_page.parse(io.BytesIO(b"<html><body><h1>Just a heading</h1></body></html>"), report)
    assert thread.title == "Just a heading"


def test_empty_and_cut_input_are_counted():
    report = IngestReport()
    assert list(html_page.parse(io.BytesIO(b"  \n"), report)) == []
    assert report.warnings["empty_input"] == 1
    page = (PAGES / "wordpress.html").read_bytes()
    [thread] = html_page.parse(io.BytesIO(page[: page.index(b"comment-103")]), report)
    assert report.warnings["truncated_input"] == 1
    assert [c.id for c in thread.comments[:2]] == ["101", "102"]


def test_declared_charset_is_used_when_bytes_are_not_utf8():
    page = '<html><head><meta charset="windows-1252"></head><body><p>caf\u00e9 \u201cquoted\u201d</p>'
    report = IngestReport()
    [thread] = html_page.parse(io.BytesIO(page.encode("windows-1252")), report)
    assert report.warnings["encoding_windows-1252"] == 1
    assert "caf\u00e9 \u201cquoted\u201d" in (thread.article or thread.title or "")


def samples(root: Path) -> list[Path]:
    return sorted(p for folder in SAMPLE_FOLDERS for p in (root / folder).glob("*.html"))


def test_every_sample_is_read_as_html_with_a_title(shared_formats):
    paths = samples(shared_formats)
    assert len(paths) == 24
    for path in paths:
        threads, report = read(path)
        assert report.format == "html" and len(threads) == 1, path.name
        assert threads[0].title, path.name
        assert report.unaccounted == 0 and report.comments_read == len(threads[0].comments), path.name


def test_samples_cut_short_lose_nothing(shared_formats, tmp_path):
    """Every sample cut at several offsets: no exception, every comment read is in the thread."""
    for path in samples(shared_formats):
        data = path.read_bytes()
        for fraction in CUTS:
            cut = tmp_path / path.name
            cut.write_bytes(data[: int(len(data) * fraction)])
            threads, report = read(cut)
            assert report.unaccounted == 0, (path.name, fraction, report.as_dict())
            assert report.warnings["truncated_input"] == 1, (path.name, fraction)
            assert sum(len(t.comments) for t in threads) == report.comments_read
