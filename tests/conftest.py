"""Shared fixtures: where ../shared is, and a skip when it is absent (a user's fresh clone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("THREADGUARD_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA} (set THREADGUARD_SHARED); CI has it beside the clone")
    return DATA
