"""Word lists with categories and target groups, matched on normalised tokens (multi-word aware)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from threadguard.attributes import TARGET_GROUPS
from threadguard.text.normalise import Normaliser

CATEGORIES: tuple[str, ...] = (
    "slur",
    "identity",
    "profanity",
    "sexual",
    "insult",
    "dehumanising",
    "violence",
    "reporting",
)

_FILES: dict[str, str] = {
    "slur": "slurs.tsv",
    "identity": "identity.tsv",
    "profanity": "profanity.txt",
    "sexual": "sexual.txt",
    "insult": "insults.txt",
    "dehumanising": "dehumanising.txt",
    "violence": "violence.txt",
    "reporting": "reporting.txt",
}

# categories whose words the normaliser may restore from a masked or leet spelling ("f*ck", "1d10t")
EVASION_CATEGORIES = ("slur", "profanity", "sexual", "insult", "dehumanising", "violence")
# of those, the words people censor themselves: preferred where a mask fits several words ("sh*t")
CENSORED_CATEGORIES = ("slur", "profanity", "sexual", "insult")
MILD_PROFANITY_FILE = "mild_profanity.txt"


@dataclass(frozen=True)
class LexiconHit:
    """One match: tokens [first, last] (inclusive) of the token list, with its category and group."""

    first: int
    last: int
    category: str
    group: str | None


def _variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The entry plus its plural forms (last word + s / es); lists stay short and readable that way."""
    last = words[-1]
    return {words, (*words[:-1], last + "s"), (*words[:-1], last + "es")}


class Lexicon:
    """Matches lexicon entries in a token sequence; longest match wins at each position."""

    def __init__(self, entries: Sequence[tuple[str, str, str | None]]) -> None:
        self._entries: dict[tuple[str, ...], list[tuple[str, str | None]]] = {}
        for term, category, group in entries:
            if category not in CATEGORIES:
                raise ValueError(f"unknown lexicon category {category!r}")
            if group is not None and group not in TARGET_GROUPS:
                raise ValueError(f"unknown target group {group!r} for {term!r}")
            for words in _variants(tuple(term.split())):
                self._entries.setdefault(words, [])
                if (category, group) not in self._entries[words]:
                    self._entries[words].append((category, group))
        self.max_words = max((len(words) for words in self._entries), default=1)
        self._starts_phrase = {words[0] for words in self._entries if len(words) > 1}
        self._single = {words[0]: tags for words, tags in self._entries.items() if len(words) == 1}
        self._first_words = self._starts_phrase | self._single.keys()

    @classmethod
    def load(cls, directory: Path | None = None) -> Lexicon:
        """The shipped lexicon (package resources), or the one in `directory`."""
        root = directory or resources.files("threadguard") / "resources" / "lexicon"
        entries: list[tuple[str, str, str | None]] = []
        for category, filename in _FILES.items():
            for line in (root / filename).read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                term, _, group = line.partition("\t")
                entries.append((term.strip().lower(), category, group.strip() or None))
        return cls(entries)

    def words(self, categories: Sequence[str] = CATEGORIES) -> set[str]:
        """Single words of the given categories: the vocabulary the normaliser resolves masks against."""
        wanted = set(categories)
        return {
            words[0]
            for words, tags in self._entries.items()
            if len(words) == 1 and any(cat in wanted for cat, _ in tags)
        }

    def entries(self) -> dict[tuple[str, ...], list[tuple[str, str | None]]]:
        """Every entry's words (plurals included) and its (category, group) tags, in the order `match`
        reports them: the tables the compiled hot path matches with."""
        return {words: list(tags) for words, tags in self._entries.items()}

    def match(self, tokens: Sequence[str]) -> list[LexiconHit]:
        """All hits, scanning left to right and taking the longest entry at each start position."""
        first_words = self._first_words
        candidates = [i for i, token in enumerate(tokens) if token in first_words]  # most tokens are not
        hits: list[LexiconHit] = []
        n = len(tokens)
        free = 0  # the first position not inside an earlier multi-word hit
        for i in candidates:
            if i < free:
                continue
            token = tokens[i]
            length = 1
            tags = None
            if token in self._starts_phrase:
                for size in range(min(self.max_words, n - i), 1, -1):
                    tags = self._entries.get(tuple(tokens[i : i + size]))
                    if tags:
                        length = size
                        break
            if not tags:
                tags = self._single.get(token)
            if tags:
                hits.extend(LexiconHit(i, i + length - 1, cat, group) for cat, group in tags)
                free = i + length
        return hits


def lexicon_dir() -> Path:
    """The shipped lexicon (an artifact trained with it keeps its own copy)."""
    return Path(str(resources.files("threadguard") / "resources" / "lexicon"))


def evasion_normaliser(lexicon: Lexicon) -> Normaliser:
    """The normaliser that undoes masking and leetspeak against this lexicon's words."""
    return Normaliser(lexicon.words(EVASION_CATEGORIES), masked=lexicon.words(CENSORED_CATEGORIES))


def mild_profanity(directory: Path | None = None) -> frozenset[str]:
    """Profanity words that are mild ("hell", "damn", "crap"): PROFANITY is graded, not binary."""
    text = ((directory or lexicon_dir()) / MILD_PROFANITY_FILE).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip().lower()))
