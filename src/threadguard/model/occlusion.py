"""Spans for a model that has no per-token weights: occlude words and watch the score fall.

Each content word (not a FUNCTION_WORD) is removed in turn and the text scored again. The words whose
removal lowers an attribute's probability by at least `word_drop`, strongest first, are the candidates;
the span is the fewest of them whose removal together takes the probability below
`max(min_probability, half its value)` (at most GREEDY_STEPS words), so two insults that cover for each
other ("idiot", "liar") are both found and a comment's other words are not. The chosen words are joined
into runs of adjacent words. A run's score is the mean of two measured drops, the same unit as the fast
tier's spans: removing the run alone, and removing it last (after the other chosen runs), so redundant
runs share the credit instead of scoring 0.00.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from threadguard.scores import Span
from threadguard.text.normalise import Normaliser
from threadguard.text.utf16 import Utf16Index

WORD = re.compile(r"[\w'’*@$!|]+", re.UNICODE)
MAX_WORDS = 80  # longer comments are occluded in groups of words, so the cost stays bounded
GREEDY_STEPS = 6
# closed-class words are never a span on their own: "should be" carries no threat, "hung" does
_FUNCTION_WORDS = """
a an the and or but nor so yet if then than that this these those there here is am are was were be been
being do does did have has had will would shall should can could may might must to of in on at by for
with from as into onto about over under up down out off it its it's i me my we us our he him his she her
they them their you your you're what which who whom whose when where why how not no all any some just very
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


def occlude(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The text with the given character ranges blanked out (spaces keep the other words apart)."""
    chars = list(text)
    for begin, end in ranges:
        chars[begin:end] = " " * (end - begin)
    return "".join(chars)


@dataclass(frozen=True)
class Unit:
    """A word (or a group of neighbouring words) to occlude: original characters [begin, end) and its
    position among all words, so that only words with nothing but function words between them join."""

    begin: int
    end: int
    position: int


def word_units(text: str, normaliser: Normaliser | None = None) -> list[Unit]:
    """The content words of `text`, found in its normalised form ("s t u p i d" is one word) and mapped
    back to the original characters; merged into at most MAX_WORDS groups of neighbours."""
    normalised = normaliser(text) if normaliser is not None else None
    words: list[Unit] = []
    for position, match in enumerate(WORD.finditer(normalised.text if normalised else text)):
        if match.group().lower() in FUNCTION_WORDS:
            continue
        begin, end = normalised.to_original(*match.span()) if normalised else match.span()
        words.append(Unit(begin, end, position))
    if len(words) <= MAX_WORDS:
        return words
    size = -(-len(words) // MAX_WORDS)
    return [
        Unit(words[i].begin, words[min(i + size, len(words)) - 1].end, i // size * 2)
        for i in range(0, len(words), size)
    ]  # groups are never joined: a span of a long comment stays a group


def _runs(chosen: Sequence[int], units: Sequence[Unit]) -> list[tuple[int, int]]:
    """Chosen unit indices joined into (first, last) runs of words with only function words between."""
    runs: list[tuple[int, int]] = []
    for k in sorted(chosen):
        if runs and runs[-1][1] == k - 1 and units[k].position - units[k - 1].position <= 2:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def occlusion_spans(
    text: str,
    probabilities: dict[str, float],
    predict: Callable[[list[str]], np.ndarray],
    names: Sequence[str],
    min_probability: float,
    word_drop: float,
    normaliser: Normaliser | None = None,
) -> dict[str, list[Span]]:
    """Spans (UTF-16 offsets of `text`) for every attribute in `names` scored at least `min_probability`.
    `predict` maps texts to probabilities with columns in `names` order; `normaliser` (the model's own)
    finds the words as the model reads them."""
    wanted = [j for j, name in enumerate(names) if probabilities[name] >= min_probability]
    units = word_units(text, normaliser)
    if not wanted or not units:
        return {}
    base = np.array([probabilities[name] for name in names])
    drops = base - predict([occlude(text, [(u.begin, u.end)]) for u in units])  # (n_units, n_names)
    alone = predict([text[u.begin : u.end] for u in units])  # each word on its own
    strength = (drops + alone) / 2  # redundant words ("stupid idiot") drop little but score high alone

    def without(chosen: Sequence[int]) -> str:
        return occlude(text, [(units[k].begin, units[k].end) for k in chosen])

    utf16 = Utf16Index(text)
    result: dict[str, list[Span]] = {}
    for j in wanted:
        ranked = [int(k) for k in np.argsort(-strength[:, j], kind="stable") if strength[k, j] >= word_drop]
        if not ranked:
            continue
        # the fewest strongest words whose removal takes the probability below the target
        candidates = [ranked[:size] for size in range(1, min(len(ranked), GREEDY_STEPS) + 1)]
        target = max(min_probability, base[j] / 2)
        remaining = predict([without(c) for c in candidates])[:, j]
        below = np.flatnonzero(remaining < target)
        pick = int(below[0]) if len(below) else len(candidates) - 1
        runs = _runs(candidates[pick], units)
        all_out = remaining[pick]
        solo = predict([without(range(a, b + 1)) for a, b in runs])[:, j]
        if len(runs) > 1:
            others = [[k for a, b in runs if (a, b) != run for k in range(a, b + 1)] for run in runs]
            last = predict([without(o) for o in others])[:, j] - all_out
        else:
            last = base[j] - solo
        spans = []
        for (first, end), left, final in zip(runs, solo, last, strict=True):
            score = float((base[j] - left + final) / 2)
            if score >= word_drop and round(score, 2) > 0:
                spans.append(Span(utf16.to_utf16(units[first].begin), utf16.to_utf16(units[end].end), score))
        if spans:
            result[names[j]] = spans
    return result
