"""Typed results of scoring one comment; `to_line` is the public JSONL contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A stretch of the ORIGINAL text that drives a score; offsets are UTF-16 code units, end exclusive."""

    begin: int
    end: int
    score: float


@dataclass
class CommentScore:
    """Scores of one comment: attribute and target-group probabilities plus explaining spans."""

    attributes: dict[str, float]
    targets: dict[str, float]
    spans: dict[str, list[Span]]
    flagged: bool
    language: str
    model: str
    warnings: list[str] = field(default_factory=list)
    # attribute -> in-context probability minus the comment's own; empty when scored without context
    context_effect: dict[str, float] = field(default_factory=dict)
    tier: str = "fast"  # which tier produced the scores: "fast" or "accurate"

    def to_line(self, comment_id: Any = None) -> dict[str, Any]:
        """The engine's JSON line, a public contract that the API and users build on."""
        line: dict[str, Any] = {
            "id": comment_id,
            "attributes": {name: round(p, 6) for name, p in self.attributes.items()},
            "targets": {name: round(p, 6) for name, p in self.targets.items()},
            "spans": {
                name: [{"begin": s.begin, "end": s.end, "score": round(s.score, 6)} for s in spans]
                for name, spans in self.spans.items()
                if spans
            },
            "flagged": self.flagged,
            "language": self.language,
            "model": self.model,
            "tier": self.tier,
        }
        if self.context_effect:
            line["context_effect"] = {name: round(d, 6) for name, d in self.context_effect.items()}
        if self.warnings:
            line["warnings"] = list(self.warnings)
        return line


def error_line(comment_id: Any, message: str, model: str) -> dict[str, Any]:
    """The JSON line for an input that could not be scored; the stream goes on after it."""
    return {"id": comment_id, "error": message, "model": model}
