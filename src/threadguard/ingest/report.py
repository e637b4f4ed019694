"""What reading one input did: counts in and out, and every repair or problem, counted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from threadguard.ingest.gzipped import Damage
from threadguard.thread.model import Thread


@dataclass
class IngestReport:
    """Parsers add to `comments_read` for every comment record they recognise and to `warnings` for
    file-level problems (a record too broken to be a comment is "unreadable_record", a cut-off file
    "truncated_input"); `count_thread` adds what tree assembly repaired."""

    source: str = ""
    format: str = ""
    threads: int = 0
    comments_read: int = 0
    comments_output: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    damage: Damage | None = None  # where a damaged gzip input stopped (also counted in warnings)

    def count_thread(self, thread: Thread) -> None:
        self.threads += 1
        self.comments_output += len(thread.comments)
        self.warnings.update(thread.warnings)

    @property
    def unaccounted(self) -> int:
        """Comments read but neither output nor merged as exact duplicates: should always be 0."""
        return self.comments_read - self.comments_output - self.warnings["duplicate_merged"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "threads": self.threads,
            "comments_read": self.comments_read,
            "comments_output": self.comments_output,
            "warnings": dict(sorted(self.warnings.items())),
            "damage": None if self.damage is None else {**vars(self.damage), "message": str(self.damage)},
        }
