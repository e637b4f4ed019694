"""`Normaliser.normalise_many` gives exactly what normalising each text alone gives.

The batch scans join many texts into one string; these tests are there to catch a separator that leaks,
that is, a text whose result depends on its neighbours in the batch.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadguard.model.lexicon import Lexicon, evasion_normaliser
from threadguard.text import normalise
from threadguard.text.normalise import Normaliser

plain = Normaliser()
lexicon = evasion_normaliser(Lexicon.load())
NORMALISERS = [plain, lexicon]

LEET = "0134578 9@$!|€"
MASKS = "*#_%?&^"
CONTROLS = "\x00\x01\x08\x0b\x0c\r\x1b\x1f\x7f\t\n"
NON_ASCII = "éÉßіоеΗηｆ’\u200b\u0301ﬁ😀"
LETTERS = "aAbBiIlLoOsStTwWdrx"
# Characters that the detectors look at, and those that fold specially: every text edge gets them.
ADVERSARIAL = st.sampled_from([*LEET, *MASKS, *".-' ", *LETTERS, *CONTROLS, *NON_ASCII, "\ud800"])
# Pieces that trigger each detector alone, or only together with a neighbour if a separator leaked.
PIECES = st.sampled_from(
    ["w0rd", "w**d", "*ord", "wo__", "5tar", "bo55", "sooo", "!!!", "???", "!!", "??", "s p a c", "a b",
     "w.rd", "wo-d", "a.bc", "x", "0", "rd", "1st", " ", "", "f&ck", "G&M", "h\u0435y", "\x00"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(ADVERSARIAL, max_size=30),
    st.lists(PIECES, max_size=4).map("".join),
    st.text(st.characters(exclude_categories=()), max_size=20),  # anything, lone surrogates included
)
TEXTS = st.lists(TEXT, max_size=12)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_batch_equals_one_text_at_a_time(texts: list[str]) -> None:
    for normaliser in NORMALISERS:
        expected = [normaliser(t) for t in texts]
        assert normaliser.normalise_many(texts) == expected
        with patch.object(normalise, "_BATCH_CHARS", 10):  # texts split over several batches
            assert normaliser.normalise_many(texts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(ADVERSARIAL, max_size=30), st.lists(PIECES, max_size=4).map("".join))))
def test_batch_scans_flag_exactly_what_detect_flags(texts: list[str]) -> None:
    """Stronger than needed for the results (a false alarm would only cost time), but it is what the
    separator is meant to give: every scan sees each text as if it were alone."""
    for normaliser in NORMALISERS:
        folds = [f for f, _ in map(normaliser._fold, texts) if f.isascii()]
        expected = {k for k, folded in enumerate(folds) if any(normaliser._detect(folded))}
        assert (normaliser._flag_ascii_batch(folds) if folds else set()) == expected


def test_text_edges_are_not_mixed_up() -> None:
    """Neighbours that would trigger a detector if they were one text, and texts that trigger one right
    at their edge."""
    texts = ["w", "0rd", "s p", "a c", "!", "!!", "sooo", "", "x", "5tar", "wo", "-d", "bo55", "a.", "bc"]
    for normaliser in NORMALISERS:
        assert normaliser.normalise_many(texts) == [normaliser(t) for t in texts]
    assert plain.normalise_many([]) == []


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"abXé.-_'1 \x00\n", "\u0456"]), max_size=25))
def test_dot_only_mask_pattern_matches_where_the_dot_mask_pattern_does(text: str) -> None:
    def spans(pattern: re.Pattern[str], s: str) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(s)]

    assert spans(normalise._DOT_ONLY_MASK_RE, text.replace("-", ".")) == spans(normalise._DOT_MASK_RE, text)


def test_c3_comments(shared_data: Path) -> None:
    """Real comments: the batch path must not change a single result."""
    path = shared_data / "c3_constructive_comments" / "C3_anonymized.csv.gz"
    texts = pd.read_csv(path, usecols=["comment_text"], dtype=str, keep_default_na=False)["comment_text"]
    texts = texts.tolist()
    assert len(texts) > 10_000
    for normaliser in NORMALISERS:
        assert normaliser.normalise_many(texts) == [normaliser(t) for t in texts]


@pytest.mark.parametrize("normaliser", NORMALISERS, ids=["plain", "lexicon"])
def test_one_megabyte_text_in_a_batch(normaliser: Normaliser) -> None:
    texts = ["ordinary words " * 70_000, "w0rd", "sooo " * 1000 + "end", "x" * 100]
    assert normaliser.normalise_many(texts) == [normaliser(t) for t in texts]
