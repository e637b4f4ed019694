"""Score one chunk: its rows become output lines, encoded as a part, plus the chunk's record (meta).

Default lines are the engine's line format (`CommentScore.to_line`, with spans and language) plus the
source fields; comments read from a thread format are scored with their article and parent
(`context_effect`), like `threadguard thread`. `spans=False` is the fast mode: attributes, targets, flag
and model only, from one pass of the linear model (no span explanation, no language identification, no
context), about three times faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.batch.chunks import Chunk
from threadguard.batch.records import Row
from threadguard.batch.sink import encode_part

SOURCE_FIELDS = ("source_file", "source_record", "source_item", "thread_id", "parent_id", "author")


@dataclass(frozen=True)
class ScoreOptions:
    """How rows are scored and written; part of the job's identity."""

    model: str | None = None  # artifact folder; None = the shipped model
    spans: bool = True
    output_format: str = "jsonl"  # or "parquet"
    tier: str = "fast"  # crawl scale: the fast tier unless asked (see Scorer for the tiers)


@dataclass
class ScoredChunk:
    key: str
    part: bytes  # the chunk's output rows, encoded in the output format
    meta: dict[str, Any]  # what the chunk held: row count, problems, notes, bytes covered


class ChunkScorer:
    """Loads the scorers once (per worker process or Ray actor) and scores chunks with them."""

    def __init__(self, options: ScoreOptions) -> None:
        from threadguard.thread.context import ContextScorer

        self.options = options
        self.context_scorer = ContextScorer.load(
            Path(options.model) if options.model else None, tier=options.tier
        )
        self.scorer = self.context_scorer.scorer

    def __call__(self, chunk: Chunk) -> ScoredChunk:
        lines = self.lines(chunk)
        meta = {
            "key": chunk.key,
            "file_index": chunk.file_index,
            "index": chunk.index,
            "file": chunk.file,
            "format": chunk.format,
            "last": chunk.last,
            "rows": len(lines),
            "problems": [p.as_line(chunk.file) for p in chunk.problems],
            "notes": chunk.notes,
            "bytes_read": list(chunk.bytes_read),
            "model": self.scorer.version,
            "tier": self.options.tier,
        }
        return ScoredChunk(
            chunk.key, encode_part(lines, self.options.output_format, self.options.spans), meta
        )

    def lines(self, chunk: Chunk) -> list[dict[str, Any]]:
        texts = [row.text for row in chunk.rows]
        if not texts:
            return []
        scored = (
            self._full_lines(chunk.rows, texts) if self.options.spans else self._fast_lines(chunk.rows, texts)
        )
        for line, row in zip(scored, chunk.rows, strict=True):
            line.update(
                zip(
                    SOURCE_FIELDS,
                    (chunk.file, row.record, row.item, row.thread_id, row.parent_id, row.author),
                    strict=True,
                )
            )
        return scored

    def _full_lines(self, rows: list[Row], texts: list[str]) -> list[dict[str, Any]]:
        lines = []
        results = self.context_scorer.score(texts, [row.context for row in rows])
        for row, result in zip(rows, results, strict=True):
            line = result.to_line(row.id)
            if row.warnings:
                line["warnings"] = [*row.warnings, *line.get("warnings", [])]
            lines.append(line)
        return lines

    def _fast_lines(self, rows: list[Row], texts: list[str]) -> list[dict[str, Any]]:
        scorer = self.scorer
        probabilities = 1.0 / (1.0 + np.exp(-scorer.logits(texts)))
        n_attributes = len(ATTRIBUTES)
        lines = []
        for row, probs in zip(rows, probabilities.tolist(), strict=True):
            attributes = dict(zip(ATTRIBUTES, probs[:n_attributes], strict=True))
            line: dict[str, Any] = {
                "id": row.id,
                "attributes": {name: round(p, 6) for name, p in attributes.items()},
                "targets": {
                    name: round(p, 6) for name, p in zip(TARGET_GROUPS, probs[n_attributes:], strict=True)
                },
                "flagged": scorer.is_flagged(attributes),
                "model": scorer.version,
            }
            if row.warnings:
                line["warnings"] = list(row.warnings)
            lines.append(line)
        return lines
