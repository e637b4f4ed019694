"""Moderation policy: a TOML file saying what happens to a new comment, per community.

policy = Policy.load()                      # the shipped news-site defaults (policy/default.toml)
policy.decide({"THREAT": 0.97, ...}, community="sports")  # -> Decision("review", ["THREAT >= 0.35"], risk)

The decision weighs, in this order: the author's standing (banned and suspended authors are rejected,
premoderated and new ones reviewed), the community's word lists (banned words reject, suspect words
review), then each attribute's thresholds. The strictest action wins: reject > review > approve.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from threadguard.attributes import ATTRIBUTES
from threadguard.policy.risk import RiskWeights
from threadguard.policy.words import matcher

DEFAULT_POLICY = Path(__file__).with_name("default.toml")
DEFAULT_COMMUNITY = "default"
ACTIONS = ("approve", "review", "reject")
STATUS_OF_ACTION = {"approve": "approved", "review": "pending", "reject": "rejected"}
AUTHOR_STATUSES = ("banned", "suspended", "premoderated", "trusted")
SECTIONS = ("default", "community", "risk", "reject")
SETTINGS = ("banned_words", "suspect_words", "premoderate_new")  # lower-case keys of a community table
ACTION_RANK = {action: rank for rank, action in enumerate(ACTIONS)}


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
    risk: float = 0.0  # severity-weighted, see policy/risk.py

    @property
    def status(self) -> str:
        """The moderation state a comment starts in after this decision."""
        return STATUS_OF_ACTION[self.action]


@dataclass(frozen=True)
class Standing:
    """What the store knows about a comment's author in its community (see store/authors.py)."""

    status: str | None = None  # banned | suspended | premoderated | trusted | None
    until: datetime | None = None  # the end of a suspension
    reason: str | None = None
    approved: int = 0  # the author's approved comments in the community


@dataclass(frozen=True)
class CommunityRules:
    rules: dict[str, Rule]
    banned_words: frozenset[str] = frozenset()
    suspect_words: frozenset[str] = frozenset()
    premoderate_new: int = 0  # a new author's comments are reviewed until this many are approved


@dataclass(frozen=True)
class Policy:
    default: CommunityRules
    communities: dict[str, CommunityRules]
    risk_weights: RiskWeights = field(default_factory=RiskWeights)
    reject_confidence: float = 0.0  # no reject threshold may be lower
    never_reject: frozenset[str] = frozenset()  # attributes that may never auto-reject

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
        unknown = set(raw) - set(SECTIONS)
        if unknown:
            raise PolicyError(
                f"{where}: unknown sections {sorted(unknown)};"
                " expected [default], [community.X], [risk], [reject]"
            )
        confidence, never = _reject_limits(raw.get("reject", {}), f"{where} [reject]")
        default = _community(raw.get("default", {}), f"{where} [default]", None)
        communities = {
            name: _community(table, f"{where} [community.{name}]", default)
            for name, table in raw.get("community", {}).items()
        }
        for name, rules in [("default", default), *communities.items()]:
            for attribute, rule in rules.rules.items():
                if rule.reject is None:
                    continue
                if attribute in never:
                    raise PolicyError(f"{where} [{name}]: {attribute} may never auto-reject ([reject] never)")
                if rule.reject < confidence:
                    raise PolicyError(
                        f"{where} [{name}]: {attribute} reject = {rule.reject} is below the policy's"
                        f" [reject] min_confidence = {confidence}"
                    )
        risk = RiskWeights.from_table(raw.get("risk", {}), f"{where} [risk]", PolicyError)
        return cls(default, communities, risk, confidence, frozenset(never))

    def community(self, community: str | None) -> CommunityRules:
        return self.communities.get(community or DEFAULT_COMMUNITY, self.default)

    def rules(self, community: str | None) -> dict[str, Rule]:
        return self.community(community).rules

    def risk(
        self,
        scores: Mapping[str, float],
        targets: Mapping[str, float] | None = None,
        context_effect: Mapping[str, float] | None = None,
    ) -> float:
        return self.risk_weights.risk(scores, targets, context_effect)

    def decide(
        self,
        scores: Mapping[str, float],
        community: str | None = None,
        *,
        targets: Mapping[str, float] | None = None,
        context_effect: Mapping[str, float] | None = None,
        text: str | None = None,
        standing: Standing | None = None,
        words: tuple[Iterable[str], Iterable[str]] = ((), ()),
        now: datetime | None = None,
    ) -> Decision:
        """The strictest action the author, the word lists (the policy's plus `words`, the
        community's (banned, suspect) lists from the store) and the scores trigger, with the reasons.
        `scores` are in-context probabilities; `context_effect` says how much the context added."""
        rules = self.community(community)
        risk = self.risk(scores, targets, context_effect)
        rejects, reviews = _author_reasons(standing, rules, now or datetime.now(UTC))
        if text is not None:
            banned = rules.banned_words | frozenset(words[0])
            suspect = rules.suspect_words | frozenset(words[1])
            for hit in matcher(banned, suspect).find(text) if banned or suspect else ():
                (rejects if hit.kind == "banned" else reviews).append(f"{hit.kind} word: {hit.word}")
        effect = context_effect or {}
        for attribute, rule in rules.rules.items():
            p = scores.get(attribute, 0.0)
            # Rejection looks at the comment's own score: the thread context (a second, small model)
            # may raise the risk and send a comment to review, never remove it on its own.
            own = p - max(0.0, effect.get(attribute, 0.0))
            if rule.reject is not None and own >= rule.reject:
                rejects.append(f"{attribute} >= {rule.reject}")
            elif rule.review is not None and p >= rule.review:
                reviews.append(f"{attribute} >= {rule.review}")
        if rejects:
            return Decision("reject", rejects, risk)
        if reviews:
            return Decision("review", reviews, risk)
        return Decision("approve", [], risk)


def _author_reasons(
    standing: Standing | None, rules: CommunityRules, now: datetime
) -> tuple[list[str], list[str]]:
    """(reject reasons, review reasons) that come from who wrote the comment."""
    if standing is None:
        return [], []
    status = standing.status
    why = f" ({standing.reason})" if standing.reason else ""
    if status == "banned":
        return [f"author banned{why}"], []
    if status == "suspended" and standing.until and _aware(standing.until) > now:
        return [f"author suspended until {_aware(standing.until):%Y-%m-%d %H:%M} UTC{why}"], []
    if status == "premoderated":
        return [], [f"author premoderated{why}"]
    if status != "trusted" and standing.approved < rules.premoderate_new:
        return [], [f"new commenter ({standing.approved} of {rules.premoderate_new} comments approved)"]
    return [], []


def _aware(value: datetime) -> datetime:
    """SQLite gives times back without their zone; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _reject_limits(table: Any, where: str) -> tuple[float, list[str]]:
    if not isinstance(table, dict) or set(table) - {"min_confidence", "never"}:
        raise PolicyError(f"{where}: expected min_confidence = p, never = [ATTRIBUTE, ...]")
    confidence = table.get("min_confidence", 0.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise PolicyError(f"{where}: min_confidence must be a probability in [0, 1]")
    never = table.get("never", [])
    if not isinstance(never, list) or any(a not in ATTRIBUTES for a in never):
        raise PolicyError(f"{where}: never must list attributes among {', '.join(ATTRIBUTES)}")
    return float(confidence), never


def _community(table: Any, where: str, inherited: CommunityRules | None) -> CommunityRules:
    """One [default] or [community.X] table; a community keeps the default's rules and settings it does
    not set, and adds its word lists to the default's."""
    if not isinstance(table, dict):
        raise PolicyError(f"{where}: expected a table of ATTRIBUTE = {{ review = p, reject = p }}")
    settings = {k: v for k, v in table.items() if k in SETTINGS}
    rules = _rules({k: v for k, v in table.items() if k not in SETTINGS}, where)
    lists = {}
    for key in ("banned_words", "suspect_words"):
        words = settings.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise PolicyError(f"{where}: {key} must be a list of words")
        lists[key] = frozenset(words) | (getattr(inherited, key) if inherited else frozenset())
    premoderate = settings.get("premoderate_new", inherited.premoderate_new if inherited else 0)
    if isinstance(premoderate, bool) or not isinstance(premoderate, int) or premoderate < 0:
        raise PolicyError(f"{where}: premoderate_new must be a whole number >= 0")
    return CommunityRules(
        rules={**(inherited.rules if inherited else {}), **rules}, premoderate_new=premoderate, **lists
    )


def _rules(table: dict[str, Any], where: str) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for attribute, rule in table.items():
        if attribute not in ATTRIBUTES:
            raise PolicyError(
                f"{where}: unknown attribute {attribute!r}; known: {', '.join(ATTRIBUTES)}"
                f" (and the settings {', '.join(SETTINGS)})"
            )
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
