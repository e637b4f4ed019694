"""The work folder that makes a run resumable: a manifest naming the job, and one committed pair of
files per chunk (`<key>.part.<ext>` with its rows, then `<key>.chunk.json` with its record).

A chunk counts as done only once its record exists; both files are written atomically and the record
last, so a run killed at any point leaves only whole chunks behind, and the next run scores the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from threadguard.batch.scoring import ScoredChunk
from threadguard.batch.sink import write_atomic

MANIFEST = "manifest.json"


class JobMismatchError(RuntimeError):
    """The work folder belongs to a different job (other inputs, options or model)."""


class WorkDir:
    def __init__(self, path: Path, part_suffix: str) -> None:
        self.path = path
        self.part_suffix = part_suffix

    def open(self, job: dict[str, Any]) -> None:
        """Start or continue `job`; refuses a folder left by a different job, clears half-written files."""
        self.path.mkdir(parents=True, exist_ok=True)
        manifest = self.path / MANIFEST
        if manifest.exists():
            found = json.loads(manifest.read_text())
            if found != job:
                raise JobMismatchError(
                    f"{self.path} holds an unfinished run of a different job (other inputs, options or "
                    "model); delete that folder to start over, or pass a different --out"
                )
        else:
            write_atomic(manifest, json.dumps(job, indent=1).encode())
        for tmp in self.path.glob(".*.tmp"):
            tmp.unlink()

    def part(self, key: str) -> Path:
        return self.path / f"{key}.part{self.part_suffix}"

    def record(self, key: str) -> Path:
        return self.path / f"{key}.chunk.json"

    def done(self) -> set[str]:
        return {p.name.removesuffix(".chunk.json") for p in self.path.glob("*.chunk.json")}

    def commit(self, scored: ScoredChunk) -> None:
        write_atomic(self.part(scored.key), scored.part)
        write_atomic(self.record(scored.key), json.dumps(scored.meta).encode())

    def records(self, files: int) -> Iterator[dict[str, Any]]:
        """The records of all chunks in output order, one at a time (keys sort as (file, chunk));
        raises when a chunk of any of the `files` inputs is missing."""
        file_index, index = 0, 0
        for path in sorted(self.path.glob("*.chunk.json")):
            record = json.loads(path.read_text())
            if (record["file_index"], record["index"]) != (file_index, index):
                raise RuntimeError(f"chunk {index} of input {file_index} is missing from {self.path}")
            yield record
            file_index, index = (file_index + 1, 0) if record["last"] else (file_index, index + 1)
        if file_index != files:
            raise RuntimeError(f"{self.path} is incomplete: {file_index} of {files} inputs finished")
