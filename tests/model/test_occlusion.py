"""Occlusion spans: found on the words that drive a score, in UTF-16 offsets, never 0.00."""

from __future__ import annotations

import numpy as np

from threadguard.model.lexicon import Lexicon, evasion_normaliser
from threadguard.model.occlusion import occlusion_spans, word_units
from threadguard.text.utf16 import Utf16Index

NAMES = ("INSULT",)


def insult_model(texts: list[str]) -> np.ndarray:
    """A transparent test model: 0.9 while any insult word is present (two insults cover for each other)."""
    words = ("idiot", "liar", "stupid")
    return np.array([[0.9 if any(w in t.lower().replace(" ", "") for w in words) else 0.05] for t in texts])


def covered(text: str, spans) -> list[str]:
    index = Utf16Index(text)
    return [text[index.to_index(s.begin) : index.to_index(s.end)] for s in spans]


def test_two_redundant_insults_are_both_found_as_separate_spans() -> None:
    text = "Honestly you are an idiot and a liar."
    spans = occlusion_spans(text, {"INSULT": 0.9}, insult_model, NAMES, 0.3, 0.05)["INSULT"]
    assert covered(text, spans) == ["idiot", "liar"]
    assert all(round(s.score, 2) > 0 for s in spans)


def test_offsets_are_utf16_after_emoji() -> None:
    text = "😀😀 you are an idiot"
    (span,) = occlusion_spans(text, {"INSULT": 0.9}, insult_model, NAMES, 0.3, 0.05)["INSULT"]
    assert (span.begin, span.end) == (16, 21)  # each emoji is two UTF-16 code units
    assert covered(text, [span]) == ["idiot"]


def test_spaced_letters_are_one_word_when_the_model_reads_normalised_text() -> None:
    normaliser = evasion_normaliser(Lexicon.load())
    text = "only s t u p i d people believe this"
    units = word_units(text, normaliser)
    assert "s t u p i d" in [text[u.begin : u.end] for u in units]
    spans = occlusion_spans(text, {"INSULT": 0.9}, insult_model, NAMES, 0.3, 0.05, normaliser)["INSULT"]
    assert covered(text, spans) == ["s t u p i d"]


def test_function_words_are_never_spans_and_low_scores_get_none() -> None:
    assert [u for u in word_units("they should be the") if u] == []
    assert occlusion_spans("a fine day", {"INSULT": 0.05}, insult_model, NAMES, 0.3, 0.05) == {}


def test_long_comments_are_occluded_in_a_bounded_number_of_groups() -> None:
    text = " ".join(f"word{i}" for i in range(1000)) + " idiot"
    assert len(word_units(text)) <= 80
    spans = occlusion_spans(text, {"INSULT": 0.9}, insult_model, NAMES, 0.3, 0.05)["INSULT"]
    assert any("idiot" in piece for piece in covered(text, spans))
