"""One batch job: its inputs, options and output paths, its identity (what makes two runs the same
job), and the run itself: score what is not done yet, then merge the chunks into the outputs.

For an output `scores.parquet` the run writes `scores.parquet.parts/` while it works (resumable; removed
at the end), then `scores.parquet`, `scores.errors.jsonl` and `scores.summary.json`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from threadguard.batch.checkpoint import WorkDir
from threadguard.batch.chunks import Chunk, read_chunks
from threadguard.batch.progress import BatchProgress
from threadguard.batch.scoring import ScoreOptions
from threadguard.batch.sink import merge_parts, output_format, write_atomic
from threadguard.batch.sources import ReadOptions
from threadguard.batch.summary import Summary

ENGINES = ("local", "ray")
JOB_FORMAT = 1  # bump when chunking or the output layout changes


@dataclass
class BatchJob:
    inputs: list[Path]
    out: Path
    read: ReadOptions
    score: ScoreOptions
    chunk_rows: int = 1000

    @classmethod
    def create(
        cls,
        inputs: list[Path],
        out: Path,
        read: ReadOptions,
        spans: bool = True,
        model: Path | None = None,
        chunk_rows: int = 1000,
        tier: str = "fast",
    ) -> BatchJob:
        """Folders are expanded to their files (sorted, recursively); the output format is told from the
        output's extension."""
        files: list[Path] = []
        for path in inputs:
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
            elif path.is_file():
                files.append(path)
            else:
                raise FileNotFoundError(f"input not found: {path}")
        if not files:
            raise ValueError("no input files")
        if chunk_rows < 1:
            raise ValueError("chunk_rows must be at least 1")
        score = ScoreOptions(str(model) if model else None, spans, output_format(out), tier)
        return cls(files, out, read, score, chunk_rows)

    @property
    def workdir(self) -> WorkDir:
        suffix = ".jsonl" if self.score.output_format == "jsonl" else ".parquet"
        return WorkDir(self.out.with_name(self.out.name + ".parts"), suffix)

    @property
    def errors_path(self) -> Path:
        return self.out.with_name(f"{self.out.stem}.errors.jsonl")

    @property
    def summary_path(self) -> Path:
        return self.out.with_name(f"{self.out.stem}.summary.json")

    def identity(self) -> dict[str, Any]:
        """Everything that decides the output bytes; a run continues a work folder only of the same job."""
        from threadguard.model.artifact import Artifact

        model = Artifact.load(Path(self.score.model) if self.score.model else None)
        inputs = [
            {"path": str(p), "size": p.stat().st_size, "mtime_ns": p.stat().st_mtime_ns} for p in self.inputs
        ]
        return {
            "job_format": JOB_FORMAT,
            "inputs": inputs,
            "model": model.version,
            "read": asdict(self.read),
            "score": asdict(self.score),
            "chunk_rows": self.chunk_rows,
        }

    def chunks(self) -> Iterator[Chunk]:
        for index, path in enumerate(self.inputs):
            yield from read_chunks(index, path, self.read, self.chunk_rows)

    def finished_summary(self, identity: dict[str, Any]) -> dict[str, Any] | None:
        """The summary of an earlier complete run of this same job, if its output is still there."""
        if not (self.summary_path.exists() and self.out.exists()):
            return None
        summary = json.loads(self.summary_path.read_text())
        return summary if summary.get("job") == identity else None

    def run(
        self,
        engine: str = "local",
        workers: int | None = None,
        address: str | None = None,
        progress: bool = True,
    ) -> dict[str, Any]:
        """Score every input row exactly once, continuing an interrupted run of the same job."""
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        started = time.monotonic()
        identity = self.identity()
        finished = self.finished_summary(identity)
        if finished is not None:
            # This run scored nothing: report its own (near-zero) timing, and the run that did the work
            # under "scored_by", so that a rerun never passes the old figures off as its own.
            seconds = round(time.monotonic() - started, 3)
            run = {"engine": engine, "workers": workers or "none", "chunks_resumed": 0, "rows_scored": 0,
                   "seconds": seconds, "rows_per_second": 0.0}  # fmt: skip
            return {**finished, "already_complete": True, "run": run, "scored_by": finished.get("run")}
        workdir = self.workdir
        workdir.open(identity)
        done = [json.loads(workdir.record(key).read_text()) for key in sorted(workdir.done())]
        total_bytes = sum(p.stat().st_size for p in self.inputs)
        if engine == "local":
            from threadguard.batch.local import run_local

            workers = workers or len(os.sched_getaffinity(0))
            with BatchProgress(total_bytes, done, progress) as bar:
                run_local(self, workdir, bar, workers)
        else:
            from threadguard.batch.ray_engine import run_ray

            with BatchProgress(total_bytes, done, progress) as bar:
                run_ray(self, workdir, bar, workers, address)
        summary = self._merge(workdir, identity)
        summary["run"] = {
            "engine": engine,
            "workers": workers or "cluster",
            "chunks_resumed": len(done),
            "rows_scored": bar.rows_this_run,
            "seconds": round(bar.seconds(), 3),
            "rows_per_second": round(bar.rate(), 1),
        }
        write_atomic(self.summary_path, json.dumps(summary, indent=1).encode())
        shutil.rmtree(workdir.path)
        return summary

    def _merge(self, workdir: WorkDir, identity: dict[str, Any]) -> dict[str, Any]:
        """Output, errors file and summary counts from the committed chunks, in input order."""
        errors_tmp = workdir.path / ".errors.tmp"
        parts = []
        with open(errors_tmp, "w", encoding="ascii") as errors:
            summary = Summary(errors)
            for record in workdir.records(len(self.inputs)):
                summary.add(record)
                parts.append(workdir.part(record["key"]))
        merge_parts(parts, self.out, self.score.output_format, self.score.spans)
        os.replace(errors_tmp, self.errors_path)
        return {
            "job": identity,
            "complete": True,
            "output": str(self.out),
            "errors_file": str(self.errors_path),
            **summary.as_dict(),
        }
