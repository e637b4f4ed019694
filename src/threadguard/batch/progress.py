"""The progress bar: input bytes read (so the ETA holds for streams of unknown row count), rows scored
and the scoring rate of this run."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    def __init__(self, total_bytes: int, done_records: list[dict[str, Any]], enabled: bool) -> None:
        self.rows = sum(r["rows"] for r in done_records)
        self.rows_this_run = 0
        self.started = time.perf_counter()
        self._progress = Progress(
            TextColumn("[bold]scoring"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]:>12,} rows · {task.fields[rate]:>8,.0f} rows/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
        )
        done_bytes = sum(r["bytes_read"][1] - r["bytes_read"][0] for r in done_records)
        self._task = self._progress.add_task(
            "", total=max(total_bytes, 1), completed=done_bytes, rows=self.rows, rate=0.0
        )

    def advance(self, meta: dict[str, Any]) -> None:
        """One chunk committed."""
        self.rows += meta["rows"]
        self.rows_this_run += meta["rows"]
        start, end = meta["bytes_read"]
        self._progress.update(self._task, advance=end - start, rows=self.rows, rate=self.rate())

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def rate(self) -> float:
        return self.rows_this_run / max(self.seconds(), 1e-9)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()
