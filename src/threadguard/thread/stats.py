"""What a moderator wants to know about a thread, or many: flagged shares, targets, authors."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.thread.scoring import ScoredComment

TARGET_THRESHOLD = 0.5


@dataclass
class ThreadSummary:
    comments: int = 0
    scored: int = 0
    flagged: int = 0
    flagged_by_attribute: Counter[str] = field(default_factory=Counter)
    targeted_groups: Counter[str] = field(default_factory=Counter)
    flagged_by_author: Counter[str] = field(default_factory=Counter)
    comments_by_author: Counter[str] = field(default_factory=Counter)
    changed_by_context: int = 0

    def add(self, scored: Iterable[ScoredComment], thresholds: Mapping[str, float]) -> ThreadSummary:
        for item in scored:
            self.comments += 1
            self.comments_by_author[item.comment.author or "(unknown)"] += 1
            if item.score is None:
                continue
            self.scored += 1
            s = item.score
            over = [a for a in ATTRIBUTES if s.attributes[a] >= thresholds.get(a, 0.5)]
            self.flagged_by_attribute.update(over)
            if s.context_effect and any(abs(d) >= 0.05 for d in s.context_effect.values()):
                self.changed_by_context += 1
            if not s.flagged:
                continue
            self.flagged += 1
            self.flagged_by_author[item.comment.author or "(unknown)"] += 1
            if "IDENTITY_ATTACK" in over:
                self.targeted_groups.update(g for g in TARGET_GROUPS if s.targets[g] >= TARGET_THRESHOLD)
        return self

    def flagged_share(self) -> dict[str, float]:
        return {a: self.flagged_by_attribute[a] / self.scored if self.scored else 0.0 for a in ATTRIBUTES}

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "comments": self.comments,
            "scored": self.scored,
            "flagged": self.flagged,
            "flagged_share": {a: round(v, 4) for a, v in self.flagged_share().items()},
            "targeted_groups": dict(self.targeted_groups.most_common()),
            "authors_most_flagged": dict(self.flagged_by_author.most_common(top)),
            "comments_by_author": {
                a: self.comments_by_author[a] for a, _ in self.flagged_by_author.most_common(top)
            },
            "changed_by_context": self.changed_by_context,
        }


@dataclass
class AuthorRecord:
    comments: int = 0
    flagged: int = 0
    threads: set[str] = field(default_factory=set)

    @property
    def flagged_rate(self) -> float:
        return self.flagged / self.comments if self.comments else 0.0


def author_records(threads: Iterable[tuple[str, list[ScoredComment]]]) -> dict[str, AuthorRecord]:
    """Per author (named authors only): comments, flagged comments and the threads they posted in."""
    records: dict[str, AuthorRecord] = defaultdict(AuthorRecord)
    for thread_key, scored in threads:
        for item in scored:
            author = item.comment.author
            if not author:
                continue
            record = records[author]
            record.comments += 1
            record.threads.add(thread_key)
            if item.score is not None and item.score.flagged:
                record.flagged += 1
    return dict(records)
