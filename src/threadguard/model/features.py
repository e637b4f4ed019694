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
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import xxhash

from threadguard.attributes import TARGET_GROUPS
from threadguard.model.hashing import xxh32_slices
from threadguard.model.lexicon import CATEGORIES, Lexicon, LexiconHit, evasion_normaliser
from threadguard.text.normalise import NormalisedText, Normaliser

if TYPE_CHECKING:  # scipy.sparse takes ~0.14 s to import: scoring on the compiled path never needs it
    from scipy import sparse

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
COUNT_CHUNK = 1024  # rows whose count matrix is built at once


class Vocabulary(dict[str, int]):
    """Token -> id, with every token's hashed columns (word column, then its char n-gram columns) in
    one flat int32 array: a chunk's columns are then gathered by numpy instead of built in Python
    lists. A token seen for the first time gets its id at once (`__missing__`) and its columns the
    next time columns are asked for, hashed together with the other new tokens; comment
    vocabularies are Zipfian, so almost every lookup is a hit."""

    def __init__(self, token_columns: Callable[[list[str]], tuple[np.ndarray, np.ndarray]]) -> None:
        super().__init__()
        self._hash = token_columns
        self._columns = np.empty(1 << 16, dtype=np.int32)
        self._used = 0
        self._start = np.empty(1 << 12, dtype=np.int64)  # per id: where its columns begin in `columns`
        self._length = np.empty(1 << 12, dtype=np.int64)  # per id: how many columns it has
        self._pending: list[str] = []  # tokens with an id and no columns yet, in id order
        self._lock = threading.Lock()  # the server analyses from several threads

    def __missing__(self, token: str) -> int:
        with self._lock:
            index = self.get(token)
            if index is None:
                index = len(self)
                self._pending.append(token)
                self[token] = index
            return index

    def _hash_pending(self) -> None:
        with self._lock:
            if not self._pending:
                return
            cols, lengths = self._hash(self._pending)
            first, count = len(self) - len(self._pending), len(self._pending)
            if first + count > len(self._start):
                size = max(first + count, 2 * len(self._start))
                self._start, self._length = np.resize(self._start, size), np.resize(self._length, size)
            if self._used + len(cols) > len(self._columns):
                self._columns = np.resize(self._columns, max(self._used + len(cols), 2 * len(self._columns)))
            self._columns[self._used : self._used + len(cols)] = cols
            self._start[first : first + count] = self._used + np.cumsum(lengths) - lengths
            self._length[first : first + count] = lengths
            self._used += len(cols)
            self._pending = []

    def word_columns(self, ids: np.ndarray) -> np.ndarray:
        """The word column of each token `ids`."""
        self._hash_pending()
        return self._columns[self._start[ids]]

    def gather(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The concatenated columns of the tokens `ids` (in order) and each token's column count."""
        self._hash_pending()
        lengths = self._length[ids]
        ends = np.cumsum(lengths)
        offsets = np.repeat(self._start[ids] - (ends - lengths), lengths)
        return self._columns[offsets + np.arange(int(ends[-1]) if len(ends) else 0)], lengths


@dataclass
class Analysis:
    """One text taken apart: tokens, lexicon hits and feature entries with their anchors."""

    normalised: NormalisedText
    tokens: list[str]
    hits: list[LexiconHit]
    token_ids: list[int]  # per token: its id in `vocabulary`
    vocabulary: Vocabulary  # the one that gave the ids (a featuriser starts a new one when it grows large)
    dense: list[tuple[int, float, int, int]]  # (dense index, value, first token, last token); -1 = no anchor

    @property
    def token_spans(self) -> list[tuple[int, int]]:
        """Offsets of the tokens in the normalised text; found only when explaining (off the hot path)."""
        return token_spans(self.normalised.text)


def token_spans(normalised: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_RE.finditer(normalised)]


_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTERS = _UPPER + _UPPER.lower()
_BIGRAM_MULTIPLIER = 0x9E3779B1
_BIGRAM_OFFSET = 0x7F4A7C15
VOCABULARY_LIMIT = 500_000  # tokens kept hashed; past it a featuriser starts a fresh vocabulary


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
        if not 1 <= char_ngrams[0] <= char_ngrams[1] < 16:
            raise ValueError(f"char_ngrams must be (lo, hi) with 1 <= lo <= hi < 16, got {char_ngrams}")
        self.char_ngrams = char_ngrams
        self.n_word = 1 << word_bits
        self.n_char = 1 << char_bits
        self.n_hashed = self.n_word + self.n_char
        self.n_features = self.n_hashed + len(DENSE_FEATURES)
        self.idf: np.ndarray | None = None
        self.vocabulary = Vocabulary(self._token_columns)

    # ---- hashing -------------------------------------------------------------------------
    def _token_columns(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each token's word column then its char n-gram columns (n = lo..hi, each left to right, of
        "<token>"), concatenated, and each token's column count. Tokens are ASCII (TOKEN_RE), so
        byte n-grams are char n-grams; all of them are hashed together (`xxh32_slices`)."""
        n_tokens = len(tokens)
        words = np.fromiter(map(xxhash.xxh32_intdigest, map(str.encode, tokens)), np.int64, n_tokens)
        padded = np.frombuffer(("<" + "><".join(tokens) + ">").encode(), dtype=np.uint8)
        sizes = np.fromiter(map(len, tokens), np.int64, n_tokens) + 2
        begins = np.cumsum(sizes) - sizes  # where each padded token begins in `padded`
        lo, hi = self.char_ngrams
        grams = [np.maximum(sizes - n + 1, 0) for n in range(lo, hi + 1)]  # per n, per token
        lengths = 1 + np.sum(grams, axis=0)
        at = np.cumsum(lengths) - lengths  # where each token's columns begin in the output
        out = np.empty(int(lengths.sum()), dtype=np.int64)
        out[at] = words & (self.n_word - 1)
        at = at + 1
        for n, counts in zip(range(lo, hi + 1), grams, strict=True):
            token = np.repeat(np.arange(n_tokens), counts)
            i = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            hashes = xxh32_slices(padded, begins[token] + i, n, seed=n).astype(np.int64)
            out[at[token] + i] = self.n_word + (hashes & (self.n_char - 1))
            at = at + counts
        return out, lengths

    def bigram_columns(self, word_columns: np.ndarray, same_text: np.ndarray | None = None) -> np.ndarray:
        """Columns of the word bigrams (t, t+1) of consecutive tokens' word columns; where several
        texts are concatenated, `same_text` marks the pairs that do not cross from one to the next."""
        a, b = word_columns[:-1].astype(np.int64), word_columns[1:].astype(np.int64)
        bigrams = ((a * _BIGRAM_MULTIPLIER) ^ (b + _BIGRAM_OFFSET)) & (self.n_word - 1)
        return bigrams if same_text is None else bigrams[same_text]

    # ---- analysis ------------------------------------------------------------------------
    def analyse(self, text: str) -> Analysis:
        normalised = self.normaliser(text)
        tokens = TOKEN_RE.findall(normalised.text)
        if len(self.vocabulary) > VOCABULARY_LIMIT:
            self.vocabulary = Vocabulary(self._token_columns)
        vocabulary = self.vocabulary
        token_ids = list(map(vocabulary.__getitem__, tokens))  # new tokens: __missing__
        hits = self.lexicon.match(tokens)
        dense = self._dense_entries(text, normalised.text, tokens, hits)
        return Analysis(normalised, tokens, hits, token_ids, vocabulary, dense)

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
        # ASCII letters counted in the UTF-8 bytes (C speed; no other character encodes to them)
        raw = original.encode("utf-8", "surrogatepass")
        letters = len(raw) - len(raw.translate(None, _LETTERS))
        if letters >= 8:
            caps = (len(raw) - len(raw.translate(None, _UPPER))) / letters
            if caps > 0.5:
                entries.append((_DENSE_INDEX["style:caps"], caps, -1, -1))
        exclaims = original.count("!")
        if exclaims:
            entries.append((_DENSE_INDEX["style:exclaim"], min(exclaims, 5) / 5, -1, -1))
        entries.append((_DENSE_INDEX["style:length"], math.log1p(len(tokens)) / 6, -1, -1))
        return entries

    # ---- matrices ------------------------------------------------------------------------
    def _counts(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        """Raw counts: one entry per hashed occurrence plus the dense values, duplicates summed;
        built CHUNK rows at a time so that memory stays bounded on a whole training set."""
        if len(analyses) <= COUNT_CHUNK:
            return self._chunk_counts(analyses)
        from scipy import sparse

        return sparse.vstack(
            [self._chunk_counts(analyses[i : i + COUNT_CHUNK]) for i in range(0, len(analyses), COUNT_CHUNK)],
            format="csr",
        )

    def _chunk_counts(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        from scipy import sparse

        n = len(analyses)
        if not n:
            return sparse.csr_matrix((0, self.n_features), dtype=np.float32)
        rows, cols = [], []
        for start, end in _vocabulary_runs(analyses):
            run_rows, run_cols = self._hashed_entries(analyses[start:end])
            rows.append(run_rows + start)
            cols.append(run_cols)
        keys = np.sort(np.concatenate(rows) * self.n_features + np.concatenate(cols))
        hashed_keys, hashed_counts = _unique_counts(keys)

        dense_keys, dense_values = [], []
        for r, a in enumerate(analyses):
            base = r * self.n_features + self.n_hashed
            for index, value, _, _ in a.dense:
                dense_keys.append(base + index)
                dense_values.append(value)
        dense_unique, inverse = np.unique(np.asarray(dense_keys, dtype=np.int64), return_inverse=True)
        dense_sums = np.zeros(len(dense_unique), dtype=np.float32)
        np.add.at(dense_sums, inverse, np.asarray(dense_values, dtype=np.float32))  # in order, as scipy sums

        # each row: its hashed columns (ascending), then its dense columns (ascending, all above them)
        hashed_rows, dense_rows = hashed_keys // self.n_features, dense_unique // self.n_features
        per_row_hashed = np.bincount(hashed_rows, minlength=n)
        per_row_dense = np.bincount(dense_rows, minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_row_hashed + per_row_dense, out=indptr[1:])
        dense_before = np.cumsum(per_row_dense) - per_row_dense
        hashed_through = np.cumsum(per_row_hashed)
        at_hashed = np.arange(len(hashed_keys)) + dense_before[hashed_rows]
        at_dense = np.arange(len(dense_unique)) + hashed_through[dense_rows]
        values = np.empty(int(indptr[-1]), dtype=np.float32)
        columns = np.empty(int(indptr[-1]), dtype=np.int32)
        values[at_hashed] = hashed_counts
        values[at_dense] = dense_sums
        columns[at_hashed] = hashed_keys - hashed_rows * self.n_features
        columns[at_dense] = dense_unique - dense_rows * self.n_features
        matrix = sparse.csr_matrix((values, columns, indptr), shape=(n, self.n_features))
        matrix.has_sorted_indices = True
        return matrix

    def _hashed_entries(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every hashed occurrence in texts that share one vocabulary: each token's
        word and char n-gram columns, then the word bigrams within each text."""
        vocabulary = analyses[0].vocabulary
        per_text = _tokens_per_text(analyses)
        ids = _token_ids(analyses, per_text)
        token_cols, lengths = vocabulary.gather(ids)
        token_rows = np.repeat(np.repeat(np.arange(len(analyses)), per_text), lengths)
        text_of_token = np.repeat(np.arange(len(analyses)), per_text)
        words = vocabulary.word_columns(ids)
        same_text = text_of_token[:-1] == text_of_token[1:]
        bigrams = self.bigram_columns(words, same_text)
        bigram_rows = text_of_token[:-1][same_text]
        return np.concatenate((token_rows, bigram_rows)), np.concatenate((token_cols, bigrams))

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

    def _entry_scales(self, counts: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Per stored entry: its IDF times 1/L2-norm of its row's block (word or char); dense: 1.
        Also per row: the two hashed blocks' 1/L2-norms (float64), shape (n, 2)."""
        if self.idf is None:
            raise RuntimeError("Featuriser is not fitted: call fit() first")
        n = counts.shape[0]
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))
        block = rows * 3 + (counts.indices >= self.n_word) + (counts.indices >= self.n_hashed)
        idf = self.idf[counts.indices]
        weighted = counts.data * idf
        norms = np.sqrt(np.bincount(block, weights=weighted.astype(np.float64) ** 2, minlength=3 * n))
        inverse = 1.0 / np.maximum(norms, 1e-9)
        inverse[2::3] = 1.0
        return (idf * inverse[block]).astype(np.float32), inverse.reshape(n, 3)[:, :2]

    def transform_analyses(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        return self.transform_with_scales(analyses)[0]

    def transform_with_scales(self, analyses: Sequence[Analysis]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The rows, and each row's word- and char-block scales (1/L2-norm), which explaining needs."""
        counts = self._counts(analyses)
        entry_scales, block_scales = self._entry_scales(counts)
        counts.data = counts.data * entry_scales
        return counts, block_scales

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.transform_analyses([self.analyse(t) for t in texts])

    def token_contributions(
        self,
        analysis: Analysis,
        weights: np.ndarray | TokenWeights,
        scales: np.ndarray | None = None,
        outputs: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Per-token share of each output's logit (bias excluded): shape (n_tokens, n_outputs).

        Exact for the linear model: the sum over tokens plus the unanchored style features plus
        the bias equals the logit. `scales` is the analysis' block scales (`transform_with_scales`)
        when the caller has them. `outputs` picks the weight columns wanted (in that order): each
        column is computed on its own, so the values are those columns of the full result.
        """
        return self.batch_token_contributions([analysis], weights, scales, outputs)[0]

    def batch_token_contributions(
        self,
        analyses: Sequence[Analysis],
        weights: np.ndarray | TokenWeights,
        scales: np.ndarray | None = None,
        outputs: Sequence[int] | None = None,
    ) -> list[np.ndarray]:
        """`token_contributions` of many analyses at once, from whole-batch numpy operations.

        With TF-IDF counts and per-block L2 norms, an occurrence of column c in row r stores
        idf[c] * scale(r, block of c) per count, so a token's contribution is
        scale(r, word) * (its word column's idf-weighted weight) + scale(r, char) * (the sum over its
        char n-grams): two per-token sums that `TokenWeights` keeps. Word bigrams are split equally
        between their two tokens, anchored dense features over their tokens."""
        token_weights = weights if isinstance(weights, TokenWeights) else TokenWeights(self, weights)
        columns = list(range(token_weights.n_outputs)) if outputs is None else [int(c) for c in outputs]
        if scales is None:
            scales = self.transform_with_scales(analyses)[1]
        per_text = _tokens_per_text(analyses)
        text_of_token = np.repeat(np.arange(len(analyses)), per_text)
        word_sums, char_sums, word_columns = [], [], []
        for start, end in _vocabulary_runs(analyses):
            vocabulary = analyses[start].vocabulary
            ids = _token_ids(analyses[start:end], per_text[start:end])
            word, char = token_weights.sums(vocabulary, ids, columns)
            word_sums.append(word)
            char_sums.append(char)
            word_columns.append(vocabulary.word_columns(ids))
        if not len(text_of_token):
            return [np.zeros((0, len(columns))) for _ in analyses]
        word_scale, char_scale = scales[text_of_token, 0:1], scales[text_of_token, 1:2]
        out = np.concatenate(word_sums) * word_scale + np.concatenate(char_sums) * char_scale
        same_text = text_of_token[:-1] == text_of_token[1:]
        left = np.flatnonzero(same_text)  # each bigram's first token
        if len(left):
            bigrams = self.bigram_columns(np.concatenate(word_columns), same_text)
            half = token_weights.column_weights(bigrams, columns) * (word_scale[left] / 2)
            out[left] += half
            out[left + 1] += half
        anchored = [
            (t, index, value, first, last)
            for t, a in enumerate(analyses)
            for index, value, first, last in a.dense
            if first >= 0
        ]
        if anchored:  # each anchored dense feature shared equally by its tokens, added in entry order
            text, index, value, first, last = (np.asarray(field) for field in zip(*anchored, strict=True))
            width = last - first + 1
            into = np.repeat(np.cumsum(per_text)[text] - per_text[text] + first, width)
            into += np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
            weight = token_weights.weights[self.n_hashed + index][:, columns]
            np.add.at(out, into, np.repeat(weight * (value / width)[:, None], width, axis=0))
        return np.split(out, np.cumsum(per_text)[:-1])


class TokenWeights:
    """A weight matrix (features x outputs) summed per vocabulary token: its word column's weight
    times IDF, and the same summed over its char n-gram columns. Found once per token and kept (the
    vocabulary is Zipfian), so explaining a text costs per token, not per n-gram occurrence; a new
    vocabulary starts afresh. At most VOCABULARY_LIMIT tokens x outputs x 2 float32 values."""

    def __init__(self, featuriser: Featuriser, weights: np.ndarray) -> None:
        if weights.ndim != 2 or weights.shape[0] != featuriser.n_features:
            expected = f"(n_features={featuriser.n_features}, outputs)"
            raise ValueError(f"weights must be {expected}, got {weights.shape}")
        if featuriser.idf is None:
            raise RuntimeError("Featuriser is not fitted: call fit() first")
        self.featuriser = featuriser
        self.weights = weights
        self.n_outputs = weights.shape[1]
        self._vocabulary: Vocabulary | None = None
        self._known = np.zeros(0, dtype=bool)
        self._word = np.zeros((0, self.n_outputs), dtype=np.float32)
        self._char = np.zeros((0, self.n_outputs), dtype=np.float32)
        self._lock = threading.Lock()  # the server explains from several threads

    def column_weights(self, columns: np.ndarray, outputs: list[int]) -> np.ndarray:
        """weights[columns, outputs] * idf[columns], float64, one output column at a time."""
        assert self.featuriser.idf is not None
        idf = self.featuriser.idf[columns].astype(np.float64)
        entry = np.empty((len(columns), len(outputs)), dtype=np.float64)
        for j, output in enumerate(outputs):
            entry[:, j] = self.weights[columns, output] * idf
        return entry

    def sums(
        self, vocabulary: Vocabulary, ids: np.ndarray, outputs: list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(word, char) sums of the tokens `ids` of `vocabulary` for `outputs`, (len(ids), len(outputs))."""
        with self._lock:
            if vocabulary is not self._vocabulary:
                self._vocabulary, self._known = vocabulary, np.zeros(len(vocabulary), dtype=bool)
                self._word = self._char = np.zeros((0, self.n_outputs), dtype=np.float32)
            if len(self._known) < len(vocabulary):
                grown = np.zeros(len(vocabulary) - len(self._known), dtype=bool)
                self._known = np.concatenate((self._known, grown))
            if len(self._word) < len(vocabulary):
                size = max(len(vocabulary), 2 * len(self._word))
                self._word = np.resize(self._word, (size, self.n_outputs))
                self._char = np.resize(self._char, (size, self.n_outputs))
            missing = np.unique(ids[~self._known[ids]])
            if len(missing):
                self._add(vocabulary, missing)
            word, char = self._word[ids], self._char[ids]
        return word[:, outputs].astype(np.float64), char[:, outputs].astype(np.float64)

    def _add(self, vocabulary: Vocabulary, ids: np.ndarray) -> None:
        cols, lengths = vocabulary.gather(ids)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))  # each token's word column
        weighted = self.column_weights(cols, list(range(self.n_outputs)))
        self._word[ids] = weighted[starts]
        # its char n-grams summed one after another, in column order: the compiled path (_hotpath.c)
        # sums them the same way, so both give the same bits (np.add.reduceat's order is its own)
        char = np.zeros((len(ids), self.n_outputs))
        for k in range(1, int(lengths.max(initial=1))):
            longer = np.flatnonzero(lengths > k)
            char[longer] += weighted[starts[longer] + k]
        self._char[ids] = char
        self._known[ids] = True


def _vocabulary_runs(analyses: Sequence[Analysis]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of consecutive analyses that share a vocabulary (almost always one:
    a featuriser starts a new vocabulary only when its own grows past VOCABULARY_LIMIT)."""
    start = 0
    for end in range(1, len(analyses) + 1):
        if end == len(analyses) or analyses[end].vocabulary is not analyses[start].vocabulary:
            yield start, end
            start = end


def _tokens_per_text(analyses: Sequence[Analysis]) -> np.ndarray:
    return np.fromiter(map(len, (a.token_ids for a in analyses)), dtype=np.int64, count=len(analyses))


def _token_ids(analyses: Sequence[Analysis], per_text: np.ndarray) -> np.ndarray:
    """The vocabulary ids of all the analyses' tokens, in order (`per_text`: their token counts)."""
    return np.fromiter(
        chain.from_iterable(a.token_ids for a in analyses), dtype=np.int64, count=int(per_text.sum())
    )


def _unique_counts(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how often each occurs."""
    if not len(sorted_keys):
        return sorted_keys, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    return sorted_keys[first], np.diff(np.append(first, len(sorted_keys)))


def _sentence_ids(normalised: str) -> list[int]:
    """Per token, how many sentence ends come before it. No token holds a sentence-end character,
    so the tokens of the pieces between them are exactly the text's tokens, in order."""
    ids: list[int] = []
    for k, piece in enumerate(SENTENCE_END_RE.split(normalised)):
        ids += [k] * len(TOKEN_RE.findall(piece))
    return ids


def _pattern_entries(
    normalised: str, tokens: list[str], hits: list[LexiconHit]
) -> list[tuple[int, float, int, int]]:
    """Patterns over lexicon hits within one sentence: insults aimed at 'you', calls for violence,
    violence or dehumanising language aimed at a group, and reporting/quoting (counter-speech)."""
    sentence: list[int] = []  # found on first use: many texts' hits need no sentence boundary
    entries: list[tuple[int, float, int, int]] = []
    by_category: dict[str, list[LexiconHit]] = {}
    for hit in hits:
        by_category.setdefault(hit.category, []).append(hit)
    group_hits = by_category.get("slur", []) + by_category.get("identity", [])

    def same_sentence(a: int, b: int) -> bool:
        if not sentence:
            sentence.extend(_sentence_ids(normalised))
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
