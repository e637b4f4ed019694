"""Helpers for the format parser tests: where our fixtures are, reading a file whole with every comment
accounted for, the counts SOURCES.md states per sample, and damaged copies of a file."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from pathlib import Path

from threadguard.ingest import IngestReport, read_threads
from threadguard.thread.model import Thread

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

# (threads, comments, max depth, flags) of a sample, as its SOURCES.md states them.
Counts = tuple[int, int, int, dict[str, int]]


def comment_lines(n: int, start: int = 0) -> bytes:
    """`n` generic JSON lines with ids start.."""
    return b"".join(
        json.dumps({"id": f"c{i}", "thread_id": "t", "text": f"Comment number {i}."}).encode() + b"\n"
        for i in range(start, start + n)
    )


def gzip_with_bad_checksum(parts: list[bytes], bad: int) -> bytes:
    """Each part gzipped as its own member (as Common Crawl and `cat a.gz b.gz` make them), the CRC32
    of member `bad` flipped: every byte still inflates, and the check at that member's end fails."""
    members = [gzip.compress(part) for part in parts]
    members[bad] = members[bad][:-8] + bytes(b ^ 0xFF for b in members[bad][-8:-4]) + members[bad][-4:]
    return b"".join(members)


def read(path: Path, format: str = "auto") -> tuple[list[Thread], IngestReport]:
    """Every thread of `path` and the report, after checking that every comment read was output."""
    report = IngestReport()
    threads = list(read_threads(path, format=format, report=report))
    assert report.unaccounted == 0, report.as_dict()
    return threads, report


def summary(threads: list[Thread]) -> dict[str, object]:
    comments = [c for t in threads for c in t.comments]
    return {
        "threads": len(threads),
        "comments": len(comments),
        "max_depth": max((c.depth for c in comments), default=0),
        "flags": Counter(flag for c in comments for flag in c.flags),
    }


def read_with_counts(path: Path, format: str, counts: Counts) -> list[Thread]:
    """The threads of `path`, after checking its sniffed format and its counts."""
    threads, report = read(path)
    n_threads, n_comments, max_depth, flags = counts
    assert report.format == format
    assert summary(threads) == {
        "threads": n_threads,
        "comments": n_comments,
        "max_depth": max_depth,
        "flags": Counter(flags),
    }
    assert report.comments_read == n_comments
    return threads


def assert_survives_damage(path: Path, format: str, tmp_path: Path, warns_on_cut: bool = True) -> None:
    """Cut the file at several offsets and flip random bytes: never an exception, every comment read is
    output, and (for XML) every cut is reported."""
    data = path.read_bytes()
    rng = random.Random(path.name)
    copies = [(f"cut{i}", data[: len(data) * i // 5 + rng.randrange(50)]) for i in range(1, 5)]
    for n in range(2):
        damaged = bytearray(data)
        for _ in range(8):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        copies.append((f"corrupt{n}", bytes(damaged)))
    full = sum(len(t.comments) for t in read(path, format)[0])
    for name, content in copies:
        target = tmp_path / f"{name}-{path.name}"
        target.write_bytes(content)
        threads, report = read(target, format)  # read() checks that nothing read went unaccounted
        assert report.comments_output == sum(len(t.comments) for t in threads)
        if name.startswith("cut"):
            assert report.comments_read <= full, name
            if warns_on_cut:
                assert report.warnings["truncated_input"] + report.warnings["malformed_xml_recovered"] >= 1, (
                    name
                )
