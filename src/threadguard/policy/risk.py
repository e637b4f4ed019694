"""Severity-weighted risk: one number that orders the moderation queue.

The highest raw probability is a poor order: a comment that is certainly profane ("Hell ...", PROFANITY
1.00) would top one that probably calls for violence (THREAT 0.90). Risk weighs each attribute by how
much harm it stands for, then raises the result when a group is targeted or when the thread's context
made the comment worse (an elliptic reply under a story about a group):

    base = max over attributes of weight[a] × p[a]
    risk = min(1, base × (1 + target_boost × max target probability + context_boost × max raise))

where "max raise" is the largest positive context effect (in-context minus own probability) on an
attribute, weighted like the attribute. The weights live in the policy file's [risk] table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from threadguard.attributes import ATTRIBUTES

# The defaults when a policy file has no [risk] table: harm to people first, mere swearing last.
DEFAULT_WEIGHTS = {
    "THREAT": 1.0, "IDENTITY_ATTACK": 1.0, "SEVERE_TOXICITY": 1.0, "INSULT": 0.75, "SEXUALLY_EXPLICIT": 0.75,
    "TOXICITY": 0.6, "PROFANITY": 0.35,
}  # fmt: skip


@dataclass(frozen=True)
class RiskWeights:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    target_boost: float = 0.2
    context_boost: float = 0.5

    def risk(
        self,
        scores: Mapping[str, float],
        targets: Mapping[str, float] | None = None,
        context_effect: Mapping[str, float] | None = None,
    ) -> float:
        base = max((self.weights.get(a, 0.0) * p for a, p in scores.items()), default=0.0)
        target = max((targets or {}).values(), default=0.0)
        raise_ = max(
            (self.weights.get(a, 0.0) * d for a, d in (context_effect or {}).items() if d > 0), default=0.0
        )
        return min(1.0, base * (1 + self.target_boost * target + self.context_boost * raise_))

    @classmethod
    def from_table(cls, table: Any, where: str, error: type[ValueError]) -> RiskWeights:
        """The [risk] table: `weights = { ATTRIBUTE = w }` (unlisted attributes keep the default),
        `target_boost` and `context_boost`, all numbers in [0, 1]."""
        if not isinstance(table, dict) or set(table) - {"weights", "target_boost", "context_boost"}:
            raise error(
                f"{where}: expected weights = {{ ATTRIBUTE = w }}, target_boost = x, context_boost = x"
            )
        weights = table.get("weights", {})
        if not isinstance(weights, dict):
            raise error(f"{where}: weights must be a table of ATTRIBUTE = weight")
        for attribute, weight in weights.items():
            if attribute not in ATTRIBUTES:
                raise error(f"{where}: unknown attribute {attribute!r}; known: {', '.join(ATTRIBUTES)}")
            _unit(weight, f"{where}: weights.{attribute}", error)
        boosts = {
            k: _unit(table[k], f"{where}: {k}", error)
            for k in ("target_boost", "context_boost")
            if k in table
        }
        return cls(weights={**DEFAULT_WEIGHTS, **weights}, **boosts)


def _unit(value: Any, where: str, error: type[ValueError]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise error(f"{where} must be a number in [0, 1]")
    return float(value)
