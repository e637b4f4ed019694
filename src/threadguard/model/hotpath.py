"""The fast tier's scoring path in compiled code: normalised texts -> logits and slur groups.

`_hotpath.c` does for scoring what `Featuriser.analyse` + `transform_analyses` + the linear model's
`decision_function` do, with the same float32/float64 operations in the same order, so its logits are
bit-identical to the pure-Python path (tests/model/test_hotpath.py checks it on real comments). It is
built by `pip install` where a C compiler is found; elsewhere, or with THREADGUARD_PURE_PYTHON=1 set,
`CompiledLinear.build` answers None and the Scorer uses the Python path. Training, explanation spans
and normalisation stay in Python.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from threadguard.attributes import TARGET_GROUPS
from threadguard.model.features import (
    _DENSE_INDEX,
    DENSE_FEATURES,
    MODALS,
    PAST_MARKERS,
    PEOPLE,
    SECOND_PERSON,
    VOCABULARY_LIMIT,
    YEAR_RE,
    Analysis,
    Featuriser,
)
from threadguard.model.lexicon import CATEGORIES, Lexicon
from threadguard.model.linear import MultiOutputLogistic
from threadguard.text.normalise import NormalisedText

try:
    from threadguard.model import _hotpath  # type: ignore[attr-defined]
except ImportError:  # installed without a C compiler
    _hotpath = None

PURE_PYTHON_VARIABLE = "THREADGUARD_PURE_PYTHON"
_C_CATEGORIES = ("slur", "identity", "profanity", "sexual", "insult", "dehumanising", "violence", "reporting")
# token word classes, as _hotpath.c numbers them
_CLASSES = ((SECOND_PERSON, 1), (MODALS, 2), (PEOPLE, 4), (PAST_MARKERS, 8))
_YEAR = 16


class FastRows(NamedTuple):
    """The fast tier's linear model on a batch of texts (from either path)."""

    logits: np.ndarray  # (n, outputs) float32, the same bits from both paths
    slur_groups: list[set[str]]  # per text: the target groups of its slurs (lexicon)
    scales: np.ndarray  # (n, 2) float64: 1 / L2 norm of the word and char blocks (as transform_with_scales)
    # compiled path, where asked: per text its normalised text, its tokens' offsets there (tokens x 2) and
    # their shares of the explained outputs' logits (tokens x outputs): batch_token_contributions' bits
    explained: list[tuple[NormalisedText, np.ndarray, np.ndarray]] | None = None
    # pure-Python path: the analyses the rows came from, so that spans need not analyse again
    analyses: list[Analysis] | None = None


def compiled_path_available() -> bool:
    """Whether scoring uses the compiled path: it was built and THREADGUARD_PURE_PYTHON is not set."""
    return _hotpath is not None and os.environ.get(PURE_PYTHON_VARIABLE, "") in ("", "0")


class CompiledLinear:
    """The fast tier's logits from normalised texts, computed in C (see the module docstring)."""

    def __init__(
        self, featuriser: Featuriser, model: MultiOutputLogistic, vocabulary_limit: int = VOCABULARY_LIMIT
    ) -> None:
        if _hotpath is None:
            raise RuntimeError("the compiled hot path was not built (no C compiler at install time)")
        if featuriser.idf is None or model.coef_ is None or model.intercept_ is None:
            raise RuntimeError("the featuriser and the model must be fitted")
        if CATEGORIES != _C_CATEGORIES or len(TARGET_GROUPS) != 7:
            raise RuntimeError("lexicon categories or target groups changed: update _hotpath.c")
        self.featuriser = featuriser
        self.n_outputs = len(model.intercept_)
        words, word_single, phrase_at, phrases, tag_offsets, tag_cat, tag_group, max_words = _lexicon_tables(
            featuriser.lexicon
        )
        self._word_ids = {word: i for i, word in enumerate(words)}
        self._hotpath = _hotpath.Hotpath(
            new_tokens=self._new_tokens,
            idf=np.ascontiguousarray(featuriser.idf, dtype=np.float32),
            coef=np.ascontiguousarray(model.coef_, dtype=np.float32),
            intercept=np.ascontiguousarray(model.intercept_, dtype=np.float32),
            n_word=featuriser.n_word,
            n_hashed=featuriser.n_hashed,
            # _hotpath.c's dense slots follow DENSE_FEATURES' order (lexicon categories, slur groups,
            # identity groups, patterns, style); the bit-identity tests exercise every one of them
            dense_index=np.array([_DENSE_INDEX[name] for name in DENSE_FEATURES], dtype=np.int32),
            word_single=word_single,
            phrase_at=phrase_at,
            phrases=phrases,
            tag_offsets=tag_offsets,
            tag_cat=tag_cat,
            tag_group=tag_group,
            max_words=max_words,
            vocabulary_limit=vocabulary_limit,  # tokens cached; past it the cache starts afresh
            hash_seed=int.from_bytes(os.urandom(8), "little"),  # the token cache's: unguessable
        )

    @classmethod
    def build(cls, featuriser: Featuriser, model: MultiOutputLogistic) -> CompiledLinear | None:
        """The compiled path for this model, or None where it is unavailable or switched off."""
        return cls(featuriser, model) if compiled_path_available() else None

    def rows(self, normalised: Sequence[NormalisedText], explain: Sequence[int] = ()) -> FastRows:
        """The rows of texts normalised by the featuriser's normaliser, with their tokens' shares of the
        `explain` outputs if any."""
        n = len(normalised)
        logits = np.empty((n, self.n_outputs), dtype=np.float32)
        masks = np.empty(n, dtype=np.int32)
        scales = np.empty((n, 2), dtype=np.float64)
        outputs = np.asarray(explain, dtype=np.int32) if len(explain) else None
        texts, originals = [t.text for t in normalised], [t.original for t in normalised]
        found = self._hotpath.logits(texts, originals, logits, masks, scales, outputs)
        groups = [
            {g for k, g in enumerate(TARGET_GROUPS) if mask >> k & 1} if mask else set() for mask in masks
        ]
        explained = None
        if found is not None:
            explained = [
                (
                    text,
                    np.frombuffer(offsets, np.int64).reshape(-1, 2),
                    np.frombuffer(shares).reshape(-1, len(explain)),
                )
                for text, (offsets, shares) in zip(normalised, found, strict=True)
            ]
        return FastRows(logits, groups, scales, explained)

    def cached_tokens(self) -> int:
        """How many tokens' columns are cached."""
        return int(self._hotpath.cached_tokens())

    def _new_tokens(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Columns, column counts, lexicon word ids (-1: none) and word classes of tokens seen first."""
        columns, lengths = self.featuriser._token_columns(tokens)
        lexicon_ids = np.array([self._word_ids.get(t, -1) for t in tokens], dtype=np.int32)
        classes = np.array(
            [
                sum(bit for words, bit in _CLASSES if t in words) | (_YEAR if YEAR_RE.match(t) else 0)
                for t in tokens
            ],
            dtype=np.int32,
        )
        return columns.astype(np.int32), lengths.astype(np.int32), lexicon_ids, classes


def _lexicon_tables(
    lexicon: Lexicon,
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The lexicon as flat int32 tables: its words; per word, its own tag list (-1: none) and where its
    phrases (2+ words, grouped by first word) begin; the phrases as [length, tag list, word ids...];
    the tag lists as offsets into (category, group) arrays."""
    entries = lexicon.entries()
    words = sorted({w for key in entries for w in key})
    word_id = {w: i for i, w in enumerate(words)}
    tag_offsets, tag_cat, tag_group = [0], [], []
    tag_list: dict[tuple[str, ...], int] = {}
    for key, tags in entries.items():
        tag_list[key] = len(tag_offsets) - 1
        for category, group in tags:
            tag_cat.append(CATEGORIES.index(category))
            tag_group.append(-1 if group is None else TARGET_GROUPS.index(group))
        tag_offsets.append(len(tag_cat))
    word_single = np.array([tag_list.get((w,), -1) for w in words], dtype=np.int32)
    by_first: dict[int, list[int]] = {}
    for key in entries:
        if len(key) > 1:
            by_first.setdefault(word_id[key[0]], []).extend(
                [len(key), tag_list[key], *(word_id[w] for w in key)]
            )
    phrase_at, phrases = [0], []
    for w in range(len(words)):
        phrases += by_first.get(w, [])
        phrase_at.append(len(phrases))
    as_int32 = lambda values: np.array(values, dtype=np.int32)  # noqa: E731
    return (
        words,
        word_single,
        as_int32(phrase_at),
        as_int32(phrases),
        as_int32(tag_offsets),
        as_int32(tag_cat),
        as_int32(tag_group),
        max((len(key) for key in entries), default=1),
    )
