"""Read comment threads from files in the formats they really come in.

report = IngestReport()
for thread in read_threads("export.xml", report=report):
    ...
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from threadguard.ingest.registry import FORMATS, SNIFF_BYTES, UnknownFormatError, get_format, sniff_format
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread

__all__ = ["FORMATS", "IngestReport", "UnknownFormatError", "read_threads"]


def read_threads(
    path: str | Path, format: str = "auto", report: IngestReport | None = None
) -> Iterator[Thread]:
    """Threads of one file (gzip is opened transparently), streamed one at a time.

    `report` collects counts and warnings; after the last thread it also says whether any comment
    went unaccounted for ("unaccounted_comments"), which should never happen.
    """
    path = Path(path)
    report = report if report is not None else IngestReport()
    report.source = str(path)
    opener = gzip.open if _is_gzip(path) else open
    with opener(path, "rb") as stream:
        name = path.name[:-3] if path.name.endswith(".gz") else path.name
        if format == "auto":
            head = stream.read(SNIFF_BYTES)
            stream.seek(0)
            input_format = sniff_format(head, name)
        else:
            input_format = get_format(format)
        report.format = input_format.name
        for thread in input_format.parse(stream, report):
            report.count_thread(thread)
            yield thread
    if report.unaccounted:
        report.warnings["unaccounted_comments"] += report.unaccounted


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"
