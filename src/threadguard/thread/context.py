"""Scoring a comment with its context: the article it sits under and the comment it replies to.

An elliptic reply ("Gallows for the lot.") names no group; under a story about a group it attacks that
group. The comment is scored on its own first; `ContextModel` then moves each attribute's logit by what
the context says (its own scores, whether it names a group the reply points back at), and the result
records the move in `context_effect`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.model.context import FEATURES, ContextModel
from threadguard.model.features import Analysis
from threadguard.scorer import Scorer
from threadguard.scores import CommentScore

BACK_REFERENCES = frozenset({"them", "they", "their", "theirs", "those", "these", "lot", "bunch"})
GROUP_CATEGORIES = frozenset({"identity", "slur"})
ARTICLE_CHARS = 1000  # the title and lead carry the topic; the rest adds noise and time
TITLE_WEIGHT = 2
MIN_EFFECT = 0.005  # smaller moves are rounding, not context


@dataclass(frozen=True)
class Context:
    """What a reader saw with the comment: the article (title, then summary or text) and the parent."""

    article: str | None = None
    parent: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.article or "").strip() and not (self.parent or "").strip()


def default_context_model_path() -> Path:
    return Path(str(resources.files("threadguard") / "models" / "default" / "context.json"))


def groups_named(analysis: Analysis) -> Counter[str]:
    """Target groups the text names (neutral identity terms and slurs alike), with how often."""
    return Counter(h.group for h in analysis.hits if h.category in GROUP_CATEGORIES and h.group)


def refers_back(analysis: Analysis) -> bool:
    """The comment points at someone it does not name: a back-reference and no group of its own."""
    return bool(BACK_REFERENCES.intersection(analysis.tokens)) and not groups_named(analysis)


def context_features(
    comment: Analysis,
    own: np.ndarray,
    context_probabilities: dict[str, np.ndarray],
    context_groups: Counter[str],
) -> np.ndarray:
    """The FEATURES row of one comment. `own` are its attribute probabilities; `context_probabilities`
    holds "parent" / "article" attribute probabilities when present. All 0 for an empty context."""
    row = dict.fromkeys(FEATURES, 0.0)
    for kind in ("parent", "article"):
        if kind in context_probabilities:
            for name, p in zip(ATTRIBUTES, context_probabilities[kind], strict=True):
                row[f"{kind}_{name}"] = float(p)
    names_group = 1.0 if context_groups else 0.0
    back = names_group if refers_back(comment) else 0.0
    by_name = dict(zip(ATTRIBUTES, own, strict=True))
    row["refers_back_to_group"] = back
    row["refers_back_x_threat"] = back * by_name["THREAT"]
    row["refers_back_x_toxicity"] = back * by_name["TOXICITY"]
    row["refers_back_x_insult"] = back * by_name["INSULT"]
    return np.array([row[f] for f in FEATURES])


class ContextScorer:
    """`Scorer.score` with an optional Context per comment."""

    def __init__(
        self, scorer: Scorer, model: ContextModel | None = None, model_path: Path | None = None
    ) -> None:
        self.scorer = scorer
        path = model_path or default_context_model_path()
        self.model = model or ContextModel.load(path)
        digest = hashlib.sha256(np.ascontiguousarray(self.model.weights_).tobytes()).hexdigest()[:8]
        self.version = f"{scorer.version}+ctx-{digest}"

    @classmethod
    def load(
        cls, path: str | Path | None = None, tier: str = "auto", encoder_threads: int = 0
    ) -> ContextScorer:
        """The shipped default models, or the artifact folder at `path` (with its context.json), in
        the given tier (see `Scorer`); the context model works on top of every tier."""
        scorer = Scorer.load(path, tier=tier, encoder_threads=encoder_threads)
        return cls(scorer, model_path=Path(path) / "context.json" if path else None)

    def features(
        self, texts: Sequence[str], contexts: Sequence[Context | None], own_logits: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[Counter[str]]]:
        """FEATURES rows, the comments' own attribute logits (computed unless given) and the groups each
        context names."""
        if len(texts) != len(contexts):
            raise ValueError(f"{len(texts)} texts but {len(contexts)} contexts")
        featuriser = self.scorer.featuriser
        if own_logits is None:
            own_logits = self.scorer.logits(texts)[:, : len(ATTRIBUTES)]
        own = 1.0 / (1.0 + np.exp(-own_logits))
        wanted: list[str] = []
        for context in contexts:
            if context is not None and not context.empty:
                wanted += [c for c in (context.parent, _article(context.article)) if c and c.strip()]
        unique = list(dict.fromkeys(wanted))
        probabilities = dict(zip(unique, self.scorer.predict_proba(unique), strict=True)) if unique else {}
        rows = np.zeros((len(texts), len(FEATURES)))
        all_groups: list[Counter[str]] = []
        named: dict[str, Counter[str]] = {}  # a thread's article is shared by all its comments: analyse once

        def groups_of(part: str) -> Counter[str]:
            if part not in named:
                named[part] = groups_named(featuriser.analyse(part))
            return named[part]

        for i, (text, context) in enumerate(zip(texts, contexts, strict=True)):
            groups: Counter[str] = Counter()
            all_groups.append(groups)
            if context is None or context.empty:
                continue
            found: dict[str, np.ndarray] = {}
            for kind, part in (("parent", context.parent), ("article", _article(context.article))):
                if part and part.strip():
                    found[kind] = probabilities[part]
            groups.update(_context_groups(context, groups_of))
            rows[i] = context_features(featuriser.analyse(text), own[i], found, groups)
        return rows, own_logits, all_groups

    def score(
        self,
        texts: Sequence[str],
        contexts: Sequence[Context | None],
        spans: bool = True,
        community: str | None = None,
    ) -> list[CommentScore]:
        """Each comment's full result, moved by its context; `context_effect` says by how much.
        `community` picks the flag thresholds (Scorer.thresholds_for)."""
        if len(texts) != len(contexts):
            raise ValueError(f"{len(texts)} texts but {len(contexts)} contexts")
        results = self.scorer.score(texts, spans, community)
        if all(context is None or context.empty for context in contexts):
            return results
        own = np.array([[r.attributes[a] for a in ATTRIBUTES] for r in results]).reshape(len(results), -1)
        own = np.clip(own, 1e-15, 1 - 1e-15)
        rows, own_logits, all_groups = self.features(texts, contexts, np.log(own / (1 - own)))
        in_context = 1.0 / (1.0 + np.exp(-self.model.decision_function(rows, own_logits)))
        for i, context in enumerate(contexts):
            if context is None or context.empty:
                continue
            attributes = {a: float(p) for a, p in zip(ATTRIBUTES, in_context[i], strict=True)}
            effect = {
                a: attributes[a] - results[i].attributes[a]
                for a in ATTRIBUTES
                if abs(attributes[a] - results[i].attributes[a]) >= MIN_EFFECT
            }
            targets = dict(results[i].targets)
            if rows[i, FEATURES.index("refers_back_to_group")]:
                # the reply attacks whom the context is about: the most named group fully, others less
                most = max(all_groups[i].values())
                for group, count in all_groups[i].items():
                    targets[group] = max(targets[group], attributes["IDENTITY_ATTACK"] * count / most)
            results[i] = replace(
                results[i],
                attributes=attributes,
                targets={g: targets[g] for g in TARGET_GROUPS},
                flagged=self.scorer.is_flagged(attributes, community),
                model=self.version,
                context_effect=effect,
            )
        return results


def _context_groups(context: Context, groups_of: Callable[[str], Counter[str]]) -> Counter[str]:
    """Groups the context names; the headline and the parent weigh double, as a reply answers them."""
    groups: Counter[str] = Counter()
    title, _, body = (_article(context.article) or "").partition("\n")
    for part, weight in ((context.parent, TITLE_WEIGHT), (title, TITLE_WEIGHT), (body, 1)):
        if part and part.strip():
            for group, count in groups_of(part).items():
                groups[group] += weight * count
    return groups


def _article(article: str | None) -> str | None:
    return article[:ARTICLE_CHARS] if article else article
