"""Benchmark input for bench_batch.py: the shared news comments (C3, read in place) replicated to any
number of JSON lines with unique ids; written to a temporary folder, never into the repository."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

C3_FILE = Path("c3_constructive_comments") / "C3_anonymized.csv.gz"
FALLBACK = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "batch" / "comments.txt"


def source_texts(data_dir: Path) -> tuple[list[str], str]:
    """The comment texts to replicate and where they came from (C3, or the test fixture without ../shared)."""
    path = data_dir / C3_FILE
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            texts = [row["comment_text"] for row in csv.DictReader(f) if row["comment_text"].strip()]
        return texts, f"C3 news comments ({len(texts):,} unique rows, replicated)"
    texts = FALLBACK.read_text(encoding="utf-8").splitlines()
    return texts, f"{FALLBACK.name} ({len(texts)} rows, replicated; ../shared/data not found)"


def write_input(path: Path, texts: list[str], rows: int) -> int:
    """`rows` JSON lines cycling through `texts`; returns the file size in bytes."""
    with open(path, "w", encoding="utf-8") as f:
        buffer = io.StringIO()
        for i in range(rows):
            buffer.write(json.dumps({"id": f"r{i}", "text": texts[i % len(texts)]}) + "\n")
            if buffer.tell() > 1 << 22:
                f.write(buffer.getvalue())
                buffer = io.StringIO()
        f.write(buffer.getvalue())
    return path.stat().st_size
