"""Shared fixtures: where ../shared is (skip when absent, as in a user's fresh clone), a real headless
Chromium (skip when Debian's chromium is not installed) and a real PostgreSQL URL (skip when unset)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(os.environ.get("THREADGUARD_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DATA = SHARED / "data"
FORMATS = SHARED / "formats"
REPORTS = Path(__file__).resolve().parents[1] / "reports"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA} (set THREADGUARD_SHARED); CI has it beside the clone")
    return DATA


@pytest.fixture(scope="session")
def shared_formats() -> Path:
    if not FORMATS.is_dir():
        pytest.skip(f"format samples not found at {FORMATS} (set THREADGUARD_SHARED); CI has them")
    return FORMATS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, as DESIGN.md prescribes."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("THREADGUARD_TEST_POSTGRES")
    if not url:
        pytest.skip("THREADGUARD_TEST_POSTGRES not set; .ci/run starts PostgreSQL and sets it")
    return url
