"""Word lists: banned words reject a comment, suspect words send it to review, before any model runs.

Matching happens on the text as `text/normalise.py` rewrites it against evasion ("b4nned", "b*nned",
"b a n n e d", a Cyrillic "а" all read "banned"), with the listed words as the normaliser's vocabulary so
that masks resolve to them. A word matches whole ("ban" does not match "banned"); an entry of several
words matches that phrase.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from threadguard.text.normalise import Normaliser

KINDS = ("banned", "suspect")
MAX_WORD = 100


@dataclass(frozen=True)
class WordHit:
    kind: str  # banned | suspect
    word: str  # as listed


def clean_word(word: str) -> str:
    """A list entry as stored: trimmed, inner whitespace collapsed, lower case; '' when unusable."""
    return " ".join(word.split()).casefold()[:MAX_WORD]


class WordMatcher:
    """Finds listed words in comments; build one per set of lists (it compiles them once)."""

    def __init__(self, banned: Iterable[str] = (), suspect: Iterable[str] = ()) -> None:
        lists = {"banned": sorted({w for w in map(clean_word, banned) if w}),
                 "suspect": sorted({w for w in map(clean_word, suspect) if w})}  # fmt: skip
        self._normaliser = Normaliser([w for words in lists.values() for w in words])
        self._patterns: list[tuple[str, str, re.Pattern[str]]] = []
        for kind in KINDS:
            for word in lists[kind]:
                folded = self._normaliser(word).text
                body = r"\s+".join(re.escape(part) for part in folded.split())
                self._patterns.append((kind, word, re.compile(rf"(?<!\w){body}(?!\w)")))

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def find(self, text: str) -> list[WordHit]:
        """Every listed word in `text`, banned ones first."""
        if not self._patterns:
            return []
        normalised = self._normaliser(text).text
        return [WordHit(kind, word) for kind, word, pattern in self._patterns if pattern.search(normalised)]


@functools.lru_cache(maxsize=64)
def matcher(banned: frozenset[str], suspect: frozenset[str]) -> WordMatcher:
    """A shared matcher for these lists: lists change rarely, comments arrive all the time."""
    return WordMatcher(banned, suspect)
