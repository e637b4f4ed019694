"""Scores with chosen values, for store tests that need exact risks (the scorer's own output is tested
in tests/service)."""

from __future__ import annotations

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.scores import CommentScore, Span


def score_of(**attributes: float) -> CommentScore:
    values = {a: attributes.get(a, 0.01) for a in ATTRIBUTES}
    spans = {a: [Span(0, 4, 0.3)] for a, p in values.items() if p >= 0.5}
    return CommentScore(
        attributes=values, targets=dict.fromkeys(TARGET_GROUPS, 0.0), spans=spans,
        flagged=any(p >= 0.5 for p in values.values()), language="en", model="tg-test",
    )  # fmt: skip
