"""Shared by the page-family tests: real saved pages read once per session, and our own small pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from threadguard.ingest import IngestReport, read_threads
from threadguard.thread.model import Thread

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "formats" / "html"

ReadPage = Callable[[Path], tuple[Thread, IngestReport]]


@pytest.fixture(scope="session")
def read_page() -> ReadPage:
    """read_page(path) -> (the page's one thread, its report), format sniffed, each file read once."""
    cache: dict[Path, tuple[Thread, IngestReport]] = {}

    def read(path: Path) -> tuple[Thread, IngestReport]:
        if path not in cache:
            report = IngestReport()
            threads = list(read_threads(path, report=report))
            assert report.format == "html"
            assert len(threads) == 1
            assert report.unaccounted == 0, report.as_dict()
            cache[path] = threads[0], report
        return cache[path]

    return read


@pytest.fixture(scope="session")
def pages() -> Path:
    return PAGES
