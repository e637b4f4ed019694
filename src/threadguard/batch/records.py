"""What the input readers yield: a Row to score, or a Problem with the input, each with its position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from threadguard.thread.context import Context


@dataclass(frozen=True)
class Row:
    """One comment to score. `record` is the line (JSONL, CSV), row (Parquet), WARC record or thread
    number in its file, 1-based; `item` numbers the comments inside a thread or page (None when the
    record itself is the comment)."""

    record: int
    item: int | None
    id: Any
    text: str
    thread_id: str | None = None
    parent_id: str | None = None
    author: str | None = None
    warnings: tuple[str, ...] = ()  # repairs of the input, e.g. a line that was not UTF-8
    context: Context | None = None  # article and parent, for comments read from a thread format


@dataclass(frozen=True)
class Problem:
    """Bad input at a position (record None: the file as a whole). `skipped` says whether input was lost
        (no output row for it) or only repaired, None when a parser counted it without saying (such problems
    have no position and may have `count` > 1)."""

    record: int | None
    item: int | None
    reason: str  # a snake_case code, counted in the summary
    detail: str
    skipped: bool | None
    count: int = 1
    id: Any = None  # the input's own id, where the bad record has one

    def as_line(self, file: str) -> dict[str, Any]:
        """The errors-file line: where (file, record, item inside a thread, the input's id), and why."""
        line: dict[str, Any] = {"file": file, "record": self.record}
        if self.item is not None:
            line["item"] = self.item
        if self.id is not None:
            line["id"] = self.id
        line.update(reason=self.reason, detail=self.detail, skipped=self.skipped)
        if self.count != 1:
            line["count"] = self.count
        return line
