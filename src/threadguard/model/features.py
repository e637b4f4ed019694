"""Text -> sparse feature rows whose every entry is anchored to the tokens that produced it.

Three blocks share one column space: hashed word uni/bigrams, hashed character 3-5-grams within
words (both TF-IDF weighted and L2-normalised per block, so they survive misspellings), and a small
dense block of lexicon and pattern features (knowledge the training data lacks). Because every
entry knows its tokens, a linear model's logit splits exactly into per-token contributions: the
explanation spans.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np
import xxhash
from scipy import sparse

from threadguard.attributes import TARGET_GROUPS
from threadguard.model.lexicon import CATEGORIES, Lexicon, LexiconHit, evasion_normaliser
from threadguard.text.normalise import NormalisedText, Normaliser

TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_END_RE = re.compile(r"[.!?;:\n]")

SECOND_PERSON = frozenset({"you", "your", "you're", "youre", "ur", "u", "ya", "yourself", "thou"})
MODALS = frozenset(
    {
        "should", "must", "need", "needs", "ought", "deserve", "deserves", "let's", "lets", "let",
        "gonna", "will", "i'll", "we'll", "shall", "time", "just", "go", "gotta", "wanna", "want",
    }
)  # fmt: skip
PEOPLE = frozenset(
    {
        "them", "they", "these", "those", "all", "every", "lot", "him", "her", "traitors", "traitor",
        "bastards", "people", "whole", "rest", "each", "everyone", "everybody", "scum",
    }
)  # fmt: skip
PAST_MARKERS = frozenset({"was", "were", "had", "been", "ago", "during", "history", "historically"})
YEAR_RE = re.compile(r"^(1[5-9]|20)\d\d$")

DENSE_FEATURES: tuple[str, ...] = (
    *(f"lex:{c}" for c in CATEGORIES),
    *(f"slur:{g}" for g in TARGET_GROUPS),
    *(f"identity:{g}" for g in TARGET_GROUPS),
    "pat:second_person_insult",
    "pat:violence_call",
    "pat:violence_group",
    "pat:dehumanise_group",
    "pat:counter_speech",
    "style:caps",
    "style:exclaim",
    "style:length",
)
_DENSE_INDEX = {name: i for i, name in enumerate(DENSE_FEATURES)}


@dataclass
class Analysis:
    """One text taken apart: tokens, lexicon hits and feature entries with their anchors."""

    normalised: NormalisedText
    tokens: list[str]
    hits: list[LexiconHit]
    token_columns: list[tuple[int, ...]]  # per token: word column, then its char n-gram columns
    bigram_columns: list[int]  # bigram (t, t+1) at index t
    dense: list[tuple[int, float, int, int]]  # (dense index, value, first token, last token); -1 = no anchor

    @property
    def token_spans(self) -> list[tuple[int, int]]:
        """Offsets of the tokens in the normalised text; found only when explaining (off the hot path)."""
        return token_spans(self.normalised.text)


def token_spans(normalised: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_RE.finditer(normalised)]


_UPPER = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_BIGRAM_MULTIPLIER = 0x9E3779B1


class Featuriser:
    """Turns texts into feature rows; `fit` learns the IDF weights of the hashed blocks."""

    def __init__(
        self,
        normaliser: Normaliser,
        lexicon: Lexicon,
        word_bits: int = 18,
        char_bits: int = 18,
        char_ngrams: tuple[int, int] = (3, 5),
    ) -> None:
        self.normaliser = normaliser
        self.lexicon = lexicon
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.char_ngrams = char_ngrams
        self.n_word = 1 << word_bits
        self.n_char = 1 << char_bits
        self.n_hashed = self.n_word + self.n_char
        self.n_features = self.n_hashed + len(DENSE_FEATURES)
        self.idf: np.ndarray | None = None
        self._token_cache: dict[str, tuple[int, ...]] = {}

    # ---- hashing -------------------------------------------------------------------------
    def _token_columns(self, token: str) -> tuple[int, ...]:
        """Word column then char n-gram columns of one token, cached: comment vocabularies are Zipfian."""
        cols = self._token_cache.get(token)
        if cols is not None:
            return cols
        word = xxhash.xxh32_intdigest(token.encode()) & (self.n_word - 1)
        padded = f"<{token}>".encode()  # byte n-grams: identical to char n-grams on ASCII text
        lo, hi = self.char_ngrams
        base = self.n_word
        mask = self.n_char - 1
        chars = [
            base + (xxhash.xxh32_intdigest(padded[i : i + n], seed=n) & mask)
            for n in range(lo, hi + 1)
            for i in range(len(padded) - n + 1)
        ]
        cols = (word, *chars)
        if len(self._token_cache) > 500_000:
            self._token_cache.clear()
        self._token_cache[token] = cols
        return cols

    # ---- analysis ------------------------------------------------------------------------
    def analyse(self, text: str) -> Analysis:
        normalised = self.normaliser(text)
        tokens = TOKEN_RE.findall(normalised.text)
        token_columns = [self._token_columns(token) for token in tokens]
        mask = self.n_word - 1
        words = [cols[0] for cols in token_columns]
        bigrams = [((a * _BIGRAM_MULTIPLIER) ^ (b + 0x7F4A7C15)) & mask for a, b in pairwise(words)]
        hits = self.lexicon.match(tokens)
        dense = self._dense_entries(text, normalised.text, tokens, hits)
        return Analysis(normalised, tokens, hits, token_columns, bigrams, dense)

    def slur_groups(self, text: str) -> set[str]:
        """The target groups of the slurs in `text` (after evasion normalisation), from the lexicon;
        cheaper than `analyse` when only these are wanted."""
        return slur_groups_of(self.lexicon.match(TOKEN_RE.findall(self.normaliser(text).text)))

    def _dense_entries(
        self,
        original: str,
        normalised: str,
        tokens: list[str],
        hits: list[LexiconHit],
    ) -> list[tuple[int, float, int, int]]:
        entries: list[tuple[int, float, int, int]] = []
        counts: dict[str, int] = {}
        for hit in hits:
            counts[hit.category] = counts.get(hit.category, 0) + 1
        for hit in hits:
            share = min(counts[hit.category], 3) / counts[hit.category]
            entries.append((_DENSE_INDEX[f"lex:{hit.category}"], share, hit.first, hit.last))
            if hit.group and hit.category in ("slur", "identity"):
                entries.append((_DENSE_INDEX[f"{hit.category}:{hit.group}"], 1.0, hit.first, hit.last))
        if hits:
            entries.extend(_pattern_entries(normalised, tokens, hits))
        letters = len(original) - len(original.translate(_LETTERS))
        if letters >= 8:
            caps = (len(original) - len(original.translate(_UPPER))) / letters
            if caps > 0.5:
                entries.append((_DENSE_INDEX["style:caps"], caps, -1, -1))
        exclaims = original.count("!")
        if exclaims:
            entries.append((_DENSE_INDEX["style:exclaim"], min(exclaims, 5) / 5, -1, -1))
        entries.append((_DENSE_INDEX["style:length"], math.log1p(len(tokens)) / 6, -1, -1))
        return entries

    # ---- matrices ------------------------------------------------------------------------
    def _counts(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        """Raw counts: one entry per hashed occurrence plus the dense values, duplicates summed."""
        indptr = [0]
        cols: list[int] = []
        vals: list[float] = []
        for a in analyses:
            for token_cols in a.token_columns:
                cols.extend(token_cols)
            cols.extend(a.bigram_columns)
            n_hashed = len(cols) - len(vals)
            vals.extend([1.0] * n_hashed)
            for index, value, _, _ in a.dense:
                cols.append(self.n_hashed + index)
                vals.append(value)
            indptr.append(len(cols))
        matrix = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), np.asarray(cols, dtype=np.int32), np.asarray(indptr)),
            shape=(len(analyses), self.n_features),
        )
        matrix.sum_duplicates()
        return matrix

    def fit(self, texts: Sequence[str]) -> Featuriser:
        """Learn smoothed IDF weights of the hashed columns (dense features keep weight 1)."""
        return self.fit_analyses([self.analyse(t) for t in texts])

    def fit_analyses(self, analyses: Sequence[Analysis]) -> Featuriser:
        counts = self._counts(analyses)
        df = np.bincount(counts.indices, minlength=self.n_features).astype(np.float64)
        n = counts.shape[0]
        idf = np.log((1 + n) / (1 + df)) + 1.0
        idf[self.n_hashed :] = 1.0
        self.idf = idf.astype(np.float32)
        return self

    def _entry_scales(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Per stored entry: its IDF times 1/L2-norm of its row's block (word or char); dense: 1."""
        if self.idf is None:
            raise RuntimeError("Featuriser is not fitted: call fit() first")
        n = counts.shape[0]
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))
        block = (counts.indices >= self.n_word).astype(np.int64) + (counts.indices >= self.n_hashed)
        weighted = counts.data * self.idf[counts.indices]
        norms = np.sqrt(
            np.bincount(rows * 3 + block, weights=weighted.astype(np.float64) ** 2, minlength=3 * n)
        )
        inverse = 1.0 / np.maximum(norms, 1e-9)
        inverse[2::3] = 1.0
        return (self.idf[counts.indices] * inverse[rows * 3 + block]).astype(np.float32)

    def transform_analyses(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        counts = self._counts(analyses)
        counts.data = counts.data * self._entry_scales(counts)
        return counts

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.transform_analyses([self.analyse(t) for t in texts])

    def token_contributions(
        self,
        analysis: Analysis,
        weights: np.ndarray,
        row: sparse.csr_matrix | None = None,
        outputs: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Per-token share of each output's logit (bias excluded): shape (n_tokens, n_outputs).

        Exact for the linear model: the sum over tokens plus the unanchored style features plus
        the bias equals the logit. `row` is the analysis' transformed row when the caller has it.
        `outputs` picks the weight columns wanted (in that order): each column is computed on its
        own, so the values are the same as those columns of the full result, only cheaper.
        """
        columns = np.arange(weights.shape[1]) if outputs is None else np.asarray(outputs, dtype=np.int64)
        n_tokens = len(analysis.tokens)
        out = np.zeros((n_tokens, len(columns)), dtype=np.float64)
        if not n_tokens:
            return out
        if row is None:
            row = self.transform_analyses([analysis])
        lengths = np.fromiter(map(len, analysis.token_columns), dtype=np.int64, count=n_tokens)
        flat = chain.from_iterable(analysis.token_columns)
        occurrences = np.concatenate(
            (np.fromiter(flat, dtype=np.int64, count=int(lengths.sum())), analysis.bigram_columns)
        ).astype(np.int64)
        # a stored value is (count x weight) of its column: each occurrence carries an equal share
        position = np.searchsorted(row.indices, occurrences)
        share = row.data[position] / np.bincount(position, minlength=len(row.indices))[position]
        entry = weights[occurrences[:, None], columns] * share[:, None]
        n_token_entries = int(lengths.sum())
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        out += np.add.reduceat(entry[:n_token_entries], starts, axis=0)
        if analysis.bigram_columns:
            half = entry[n_token_entries:] / 2
            out[:-1] += half
            out[1:] += half
        for index, value, first, last in analysis.dense:
            if first >= 0:
                out[first : last + 1] += weights[self.n_hashed + index, columns] * value / (last - first + 1)
        return out


def _sentence_ids(normalised: str, token_spans: list[tuple[int, int]]) -> list[int]:
    breaks = [m.start() for m in SENTENCE_END_RE.finditer(normalised)]
    ids: list[int] = []
    b = 0
    for start, _ in token_spans:
        while b < len(breaks) and breaks[b] < start:
            b += 1
        ids.append(b)
    return ids


def _pattern_entries(
    normalised: str, tokens: list[str], hits: list[LexiconHit]
) -> list[tuple[int, float, int, int]]:
    """Patterns over lexicon hits within one sentence: insults aimed at 'you', calls for violence,
    violence or dehumanising language aimed at a group, and reporting/quoting (counter-speech)."""
    sentence = _sentence_ids(normalised, token_spans(normalised))
    entries: list[tuple[int, float, int, int]] = []
    by_category: dict[str, list[LexiconHit]] = {}
    for hit in hits:
        by_category.setdefault(hit.category, []).append(hit)
    group_hits = by_category.get("slur", []) + by_category.get("identity", [])

    def same_sentence(a: int, b: int) -> bool:
        return sentence[a] == sentence[b]

    for hit in by_category.get("insult", []) + by_category.get("slur", []) + by_category.get("profanity", []):
        for j in range(max(0, hit.first - 4), hit.first):
            if tokens[j] in SECOND_PERSON and same_sentence(j, hit.first):
                entries.append((_DENSE_INDEX["pat:second_person_insult"], 1.0, j, hit.last))
                break

    for hit in by_category.get("violence", []):
        start = hit.first
        while start > 0 and same_sentence(start - 1, hit.first):
            start -= 1
        before = tokens[max(start, hit.first - 5) : hit.first]
        after = tokens[hit.last + 1 : hit.last + 5]
        in_sentence = range(start, len(tokens))
        past = any(t in PAST_MARKERS or YEAR_RE.match(t) for t in before) or any(
            YEAR_RE.match(tokens[k]) for k in in_sentence if same_sentence(k, hit.first)
        )
        imperative = hit.first == start or (hit.first - start <= 2 and tokens[start] in MODALS)
        modal = any(t in MODALS for t in before)
        aimed = any(t in PEOPLE for t in after)
        if not past and (imperative or modal) and (aimed or hit.first == start):
            last = hit.last + next((k + 1 for k, t in enumerate(after) if t in PEOPLE), 0)
            entries.append((_DENSE_INDEX["pat:violence_call"], 1.0, hit.first, last))
        for g in group_hits:
            if same_sentence(g.first, hit.first) and not past:
                lo, hi = min(g.first, hit.first), max(g.last, hit.last)
                entries.append((_DENSE_INDEX["pat:violence_group"], 1.0, lo, hi))
                break

    for hit in by_category.get("dehumanising", []):
        for g in group_hits:
            if same_sentence(g.first, hit.first) and abs(g.first - hit.first) <= 6:
                lo, hi = min(g.first, hit.first), max(g.last, hit.last)
                entries.append((_DENSE_INDEX["pat:dehumanise_group"], 1.0, lo, hi))
                break

    for hit in by_category.get("reporting", []):
        for target in by_category.get("slur", []) + by_category.get("dehumanising", []):
            if same_sentence(hit.first, target.first):
                lo, hi = min(hit.first, target.first), max(hit.last, target.last)
                entries.append((_DENSE_INDEX["pat:counter_speech"], 1.0, lo, hi))
                break
    return entries


def slur_groups_of(hits: Sequence[LexiconHit]) -> set[str]:
    """The target groups of the slurs among lexicon hits."""
    return {h.group for h in hits if h.category == "slur" and h.group}


def build_featuriser(config: dict, lexicon: Lexicon) -> Featuriser:
    """The featuriser an artifact's config describes; training and scoring share this one recipe."""
    return Featuriser(
        evasion_normaliser(lexicon),
        lexicon,
        word_bits=config["word_bits"],
        char_bits=config["char_bits"],
        char_ngrams=tuple(config["char_ngrams"]),
    )
