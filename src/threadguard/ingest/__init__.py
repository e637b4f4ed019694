"""Read comment threads from files in the formats they really come in.

report = IngestReport()
for thread in read_threads("export.xml", report=report):
    ...
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from threadguard.ingest.gzipped import InputFile
from threadguard.ingest.limits import cap_thread
from threadguard.ingest.registry import FORMATS, SNIFF_BYTES, UnknownFormatError, get_format, sniff_format
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread

__all__ = ["FORMATS", "IngestReport", "UnknownFormatError", "read_threads"]


def read_threads(
    path: str | Path, format: str = "auto", report: IngestReport | None = None
) -> Iterator[Thread]:
    """Threads of one file (gzip is opened transparently), streamed one at a time.

    `report` collects counts and warnings; after the last thread it also says whether any comment
    went unaccounted for ("unaccounted_comments"), which should never happen. A gzip file damaged
    mid-way gives every comment before the damage, which `report.damage` locates. A comment over
    limits.MAX_COMMENT_CHARS is cut there, flagged "truncated" and counted as "too_long".
    """
    path = Path(path)
    report = report if report is not None else IngestReport()
    report.source = str(path)
    with InputFile(path) as file:
        name = path.name[:-3] if path.name.endswith(".gz") else path.name
        if format == "auto":
            head = file.stream.read(SNIFF_BYTES)
            file.stream.seek(0)
            damage = file.damage()
            if damage and not head.strip():
                raise UnknownFormatError(f"{path.name} is not a readable gzip file: {damage}")
            input_format = sniff_format(head, name)
        else:
            input_format = get_format(format)
        report.format = input_format.name
        for thread in input_format.parse(file.stream, report):
            cap_thread(thread, report.warnings)
            report.count_thread(thread)
            yield thread
        damage = file.damage()
    if damage:
        report.damage = damage
        report.warnings[damage.reason] += 1
    if report.unaccounted:
        report.warnings["unaccounted_comments"] += report.unaccounted
