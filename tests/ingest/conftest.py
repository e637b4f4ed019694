"""Helpers for the format parser tests: where the hand-written fixtures are, and reading a file whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from threadguard.ingest import IngestReport, read_threads
from threadguard.thread.model import Thread

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

ReadAll = Callable[..., tuple[list[Thread], IngestReport]]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def read_all() -> ReadAll:
    """read_all(path, format="auto") -> (threads, report), with every comment accounted for."""

    def read(path: Path, format: str = "auto") -> tuple[list[Thread], IngestReport]:
        report = IngestReport()
        threads = list(read_threads(path, format=format, report=report))
        assert report.unaccounted == 0, report.as_dict()
        return threads, report

    return read
