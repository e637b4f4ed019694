"""Moderation policy: a TOML file mapping attribute thresholds to actions, per community.

policy = Policy.load()                      # the shipped news-site defaults (policy/default.toml)
policy.decide({"THREAT": 0.97, ...}, community="sports")  # -> Decision("reject", ["THREAT >= 0.9"])
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadguard.attributes import ATTRIBUTES

DEFAULT_POLICY = Path(__file__).with_name("default.toml")
DEFAULT_COMMUNITY = "default"
ACTIONS = ("approve", "review", "reject")
STATUS_OF_ACTION = {"approve": "approved", "review": "pending", "reject": "rejected"}


class PolicyError(ValueError):
    """The policy file is not valid; the message says where."""


@dataclass(frozen=True)
class Rule:
    review: float | None = None
    reject: float | None = None


@dataclass(frozen=True)
class Decision:
    action: str  # approve | review | reject
    reasons: list[str]

    @property
    def status(self) -> str:
        """The moderation state a comment starts in after this decision."""
        return STATUS_OF_ACTION[self.action]


@dataclass(frozen=True)
class Policy:
    default: dict[str, Rule]
    communities: dict[str, dict[str, Rule]]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Policy:
        path = Path(path) if path else DEFAULT_POLICY
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(f"cannot read policy {path}: {exc}") from exc
        return cls.from_dict(raw, str(path))

    @classmethod
    def from_dict(cls, raw: dict[str, Any], where: str = "policy") -> Policy:
        unknown = set(raw) - {"default", "community"}
        if unknown:
            raise PolicyError(
                f"{where}: unknown sections {sorted(unknown)}; expected [default], [community.X]"
            )
        default = _rules(raw.get("default", {}), f"{where} [default]")
        communities = {
            name: {**default, **_rules(table, f"{where} [community.{name}]")}
            for name, table in raw.get("community", {}).items()
        }
        return cls(default, communities)

    def rules(self, community: str | None) -> dict[str, Rule]:
        return self.communities.get(community or DEFAULT_COMMUNITY, self.default)

    def decide(self, scores: dict[str, float], community: str | None = None) -> Decision:
        """The strictest action any attribute's score triggers, with the reasons that triggered it."""
        rejects, reviews = [], []
        for attribute, rule in self.rules(community).items():
            p = scores.get(attribute, 0.0)
            if rule.reject is not None and p >= rule.reject:
                rejects.append(f"{attribute} >= {rule.reject}")
            elif rule.review is not None and p >= rule.review:
                reviews.append(f"{attribute} >= {rule.review}")
        if rejects:
            return Decision("reject", rejects)
        if reviews:
            return Decision("review", reviews)
        return Decision("approve", [])


def _rules(table: Any, where: str) -> dict[str, Rule]:
    if not isinstance(table, dict):
        raise PolicyError(f"{where}: expected a table of ATTRIBUTE = {{ review = p, reject = p }}")
    rules: dict[str, Rule] = {}
    for attribute, rule in table.items():
        if attribute not in ATTRIBUTES:
            raise PolicyError(f"{where}: unknown attribute {attribute!r}; known: {', '.join(ATTRIBUTES)}")
        if not isinstance(rule, dict) or set(rule) - {"review", "reject"}:
            raise PolicyError(f"{where}: {attribute} must be {{ review = p, reject = p }} (both optional)")
        for key, value in rule.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise PolicyError(f"{where}: {attribute}.{key} must be a probability in [0, 1]")
        review, reject = rule.get("review"), rule.get("reject")
        if review is not None and reject is not None and reject < review:
            raise PolicyError(f"{where}: {attribute} reject threshold is below its review threshold")
        rules[attribute] = Rule(review=review, reject=reject)
    return rules
