"""Fixtures for the format parser tests that take them as arguments; the same helpers as helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ingest.helpers import FIXTURES, read
from threadguard.ingest import IngestReport
from threadguard.thread.model import Thread

ReadAll = Callable[..., tuple[list[Thread], IngestReport]]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def read_all() -> ReadAll:
    """read_all(path, format="auto") -> (threads, report), with every comment accounted for."""
    return read
