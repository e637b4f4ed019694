"""Normalisation against evasion and the offset map back to the original text.

Offensive words live in fixtures/ (vocabulary.txt, evasions.json), not in this file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadguard.text import normalise
from threadguard.text.normalise import NormalisedText, Normaliser
from threadguard.text.utf16 import Utf16Index

FIXTURES = Path(__file__).parent / "fixtures"
VOCABULARY = [
    line.strip()
    for line in (FIXTURES / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
EVASIONS: list[dict[str, Any]] = json.loads((FIXTURES / "evasions.json").read_text(encoding="utf-8"))["cases"]

plain = Normaliser()
with_vocabulary = Normaliser(VOCABULARY)


def original_of(result: NormalisedText, word: str, occurrence: int = 0) -> str:
    """The original text behind the `occurrence`-th `word` in the normalised text."""
    begin = -1
    for _ in range(occurrence + 1):
        begin = result.text.index(word, begin + 1)
    b, e = result.to_original(begin, begin + len(word))
    return result.original[b:e]


def assert_valid_map(result: NormalisedText) -> None:
    if result.source is None:
        assert len(result.text) == len(result.original)
        return
    assert len(result.source) == len(result.text)
    assert all(0 <= s < len(result.original) for s in result.source)
    assert all(a <= b for a, b in zip(result.source, result.source[1:], strict=False))


# -- every evasion kind, with the map back to the original (fixture cases) ---------------------------


@pytest.mark.parametrize("case", EVASIONS, ids=[case["id"] for case in EVASIONS])
def test_evasion(case: dict[str, Any]) -> None:
    result = with_vocabulary(case["input"])
    assert result.text == case["expected"]
    assert_valid_map(result)
    if case["word"] is not None:
        assert original_of(result, case["word"]) == case["original"]


def test_masks_and_edge_leet_need_a_vocabulary() -> None:
    for case in EVASIONS:
        if case["id"] in ("mask star", "mask two stars", "leet at the edge", "leet leading dollar"):
            assert plain(case["input"]).text == case["input"].lower()


def test_spaced_article_is_joined_without_a_vocabulary() -> None:
    """Only the vocabulary can tell that "a b o o k" is "a book"; without one all letters are joined."""
    case = next(c for c in EVASIONS if c["id"] == "spaced article kept")
    assert plain(case["input"]).text == case["expected"].replace(" a ", " a")


# -- fast path ---------------------------------------------------------------------------------------


def test_plain_ascii_is_lower_cased_with_identity_map() -> None:
    text = "I think the Government has a point here, but the article misses the bigger picture."
    result = plain(text)
    assert result == NormalisedText(text, text.lower(), None)
    assert result.to_original(2, 7) == (2, 7)


def test_typographic_punctuation_folds_one_for_one() -> None:
    result = plain("I don’t — “really” – know")
    assert result.text == 'i don\'t - "really" - know'
    assert result.source is None


@pytest.mark.parametrize(
    "text",
    [
        "$5 for 1st, 2nd, 3rd and 4th place at 5pm, 10kg, 4x4, the 1980s, covid19, mp3, h1n1, 3d, 1080p",
        "see #l33t and @w00t at http://example.com/l33t or mail me@example.com",
        "I am a man, e.g. in the U.S. with x-ray and t-shirt",
        "the phone photo",  # "ph" is not rewritten
        "World War III, xxx, mmm",  # Roman numerals keep their letters
        "a score of 3-0 and 1.5 million, 50% of 2024",
        "a U.S. citizen, here's a U.N. poll, i.e. e.g. p.m.",
        "CF18s and F18's, WWIII, AAA batteries, R&D at AT&T, C++ and C#",
        "yes!but no|maybe, what?no",
        "www.example.org and news.example.com/path and user@example.net",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert plain(text).text == text.lower()
    assert with_vocabulary(text).text == text.lower()


# -- each evasion kind with neutral words -------------------------------------------------------------


def test_zero_width_and_format_characters_are_removed() -> None:
    text = "he\u200bl\u200dl\ufeffo \u2060world\u202e"
    result = plain(text)
    assert result.text == "hello world"
    assert_valid_map(result)
    assert original_of(result, "hello") == "he\u200bl\u200dl\ufeffo"
    assert original_of(result, "world") == "world"  # the leading U+2060 is outside the word


def test_control_characters_become_spaces() -> None:
    result = plain("hello\x00world\r\nnext\x1bline\ttab")
    assert result.text == "hello world \nnext line\ttab"
    assert result.source is None


def test_lone_surrogates_never_crash() -> None:
    for text in ["ab\ud800cd", "\udcff", "x\udcc3\udca9y", "\ud83d"]:
        result = plain(text)
        assert "\ud800" not in result.text
        assert len(result.text) == len(text)
        assert_valid_map(result)
    assert plain("ab\ud800cd").text == "ab\ufffdcd"


def test_empty_and_whitespace_only() -> None:
    assert plain("") == NormalisedText("", "", None)
    assert plain("").to_original(0, 0) == (0, 0)
    assert plain("  \n\t ").text == "  \n\t "
    assert with_vocabulary(" \u200b ").text == "  "


def test_compatibility_forms_and_ligatures() -> None:
    result = plain("ﬁne ｈｅｌｌｏ 𝐡𝐞𝐥𝐥𝐨 ⓗⓔⓛⓛⓞ 🅷🅴🅻🅻🅾 Ⅻ ½")
    assert result.text == "fine hello hello hello hello xii 1⁄2"
    assert_valid_map(result)
    # both letters of the ligature come from the one original character
    assert result.to_original(0, 1) == (0, 1)
    assert result.to_original(1, 2) == (0, 1)
    assert original_of(result, "hello", 1) == "𝐡𝐞𝐥𝐥𝐨"


def test_accents_and_combining_marks_are_stripped() -> None:
    result = plain("Café naïve Zoë i\u0308 Łódź Ø")
    assert result.text == "cafe naive zoe i lodz o"
    # the combining diaeresis belongs to the "i" before it
    begin = result.text.index(" i ") + 1
    b, e = result.to_original(begin, begin + 1)
    assert result.original[b:e] == "i\u0308"


def test_mixed_script_word_is_mapped_to_latin() -> None:
    result = plain("h\u0435llo w\u043erld")  # Cyrillic е and о
    assert result.text == "hello world"
    assert result.source is None  # look-alikes map one for one


def test_greek_look_alikes_depend_on_case() -> None:
    assert plain("\u0397\u0395LL\u039f \u03b7\u03bft").text == "hello not"


def test_russian_and_greek_text_stays_as_it_is() -> None:
    russian = "Привет, как дела? Это обычный текст о новостях, он ничего не значит."
    greek = "Καλημέρα, τι κάνεις σήμερα;"
    assert plain(russian).text == russian.lower()
    assert with_vocabulary(russian).text == russian.lower()
    assert plain(greek).text == "καλημερα, τι κανεισ σημερα;"  # accents stripped, still Greek


def test_quoted_russian_word_in_english_text_stays_cyrillic() -> None:
    assert plain("He said привет to me").text == "he said привет to me"


def test_leetspeak_between_letters() -> None:
    result = plain("l33t h4x0r w00t c00l sh0w")
    assert result.text == "leet haxor woot cool show"
    assert result.source is None


def test_repeated_letters_collapse_to_two() -> None:
    result = plain("Sooooo cooool!!!!! Really??? Hmmm")
    assert result.text == "soo cool! really? hmm"
    assert_valid_map(result)
    assert original_of(result, "soo") == "Sooooo"  # the dropped letters belong to the word
    assert original_of(result, "!") == "!!!!!"


def test_repeats_collapse_to_one_for_a_vocabulary_word() -> None:
    normaliser = Normaliser(["good"])
    assert normaliser("gooooood").text == "good"
    assert Normaliser(["god"])("goooood").text == "god"
    assert Normaliser(["god", "good"])("goooood").text == "god"  # the shortest word wins


def test_masks_stand_for_more_letters_only_between_letters() -> None:
    assert Normaliser(["beast"])("be**t").text == "beast"
    assert Normaliser(["beast"])("b*t").text == "beast"  # a run of masks may stand for 1-3 letters
    assert Normaliser(["beast"])("be*").text == "be*"  # a footnote mark, not a word
    assert Normaliser(["sail"])("s&l and R&D").text == "s&l and r&d"  # "&" between single letters


def test_leet_symbol_may_stand_for_another_letter_with_a_vocabulary() -> None:
    assert Normaliser(["bitter"])("b$tter").text == "bitter"


def test_ambiguous_mask_is_left_alone() -> None:
    assert Normaliser(["cat", "cut"])("c*t").text == "c*t"
    assert Normaliser(["cat"])("c*t").text == "cat"
    assert Normaliser(["cat"])("*sigh* **cat**").text == "*sigh* **cat**"  # emphasis, not masks


def test_leet_one_resolved_by_the_vocabulary() -> None:
    assert Normaliser(["hello"])("he11o").text == "hello"
    assert plain("he11o").text == "heiio"


def test_spaced_letters_map_back_to_the_whole_run() -> None:
    result = plain("it is so g.r.e.a.t and n i c e")
    assert result.text == "it is so great and nice"
    assert original_of(result, "great") == "g.r.e.a.t"
    assert original_of(result, "nice") == "n i c e"
    assert original_of(result, "gre") == "g.r.e"  # a partial span stops at its last letter


def test_dotted_abbreviations_are_joined_too() -> None:
    assert plain("the U.S.A. and the P.E.I. election").text == "the usa. and the pei. election"


def test_spaced_letters_need_three() -> None:
    assert plain("I am a man and a b").text == "i am a man and a b"


# -- emoji and UTF-16 offsets ------------------------------------------------------------------------


def test_emoji_and_utf16_offsets() -> None:
    text = "I 👍 this 😀 w o n d e r f u l ❤️ café"
    result = plain(text)
    assert result.text == "i 👍 this 😀 wonderful ❤ cafe"
    begin = result.text.index("wonderful")
    b, e = result.to_original(begin, begin + len("wonderful"))
    assert text[b:e] == "w o n d e r f u l"
    index = Utf16Index(text)
    # 👍 and 😀 count two UTF-16 units each
    assert (index.to_utf16(b), index.to_utf16(e)) == (b + 2, e + 2)
    assert text.encode("utf-16-le")[2 * index.to_utf16(b) : 2 * index.to_utf16(e)].decode("utf-16-le") == (
        "w o n d e r f u l"
    )
    # the variation selector after ❤ is removed but belongs to the heart
    heart = result.text.index("❤")
    b, e = result.to_original(heart, heart + 1)
    assert text[b:e] == "❤\ufe0f"
    assert original_of(result, "cafe") == "café"


def test_perspective_hi_there_span() -> None:
    result = plain("Hi there")
    b, e = result.to_original(0, 2)
    index = Utf16Index(result.original)
    assert (index.to_utf16(b), index.to_utf16(e)) == (0, 2)


# -- to_original edge cases --------------------------------------------------------------------------


def test_to_original_rejects_spans_outside_the_text() -> None:
    result = plain("id\u200biot")
    for begin, end in [(-1, 2), (3, 2), (0, 6)]:
        with pytest.raises(IndexError):
            result.to_original(begin, end)


def test_empty_span_is_an_insertion_point() -> None:
    result = plain("a\u200bb")
    assert result.text == "ab"
    assert result.to_original(1, 1) == (2, 2)
    assert result.to_original(2, 2) == (3, 3)


def test_trailing_invisible_characters_are_outside_the_span() -> None:
    result = plain("word\u200b\u200b next")
    assert original_of(result, "word") == "word"


# -- robustness and speed-related behaviour ----------------------------------------------------------


def test_one_megabyte_text() -> None:
    chunk = "Some text, s o m e l33t, sooooo many w\u200bords, ｆｕｌｌ, h\u0435llo 😀 ﬁne\n"
    text = chunk * (1_000_000 // len(chunk) + 1)
    result = with_vocabulary(text)
    assert len(result.original) >= 1_000_000
    assert_valid_map(result)
    assert result.text.startswith("some text, some leet, soo many words, full, hello 😀 fine\n")


def test_long_tokens_are_not_decoded() -> None:
    token = "a1b3c4d5e7f8a1b3c4d5e7f8a1b3"  # an id or hash, not leetspeak
    assert plain(token).text == token


def test_plain_ranges_fold_like_lower() -> None:
    """Characters in _PLAIN_RANGES skip `_fold_char`: str.lower() must give the same result."""
    for low, high in normalise._PLAIN_RANGES:
        for cp in range(ord(low), ord(high) + 1):
            ch = chr(cp)
            assert normalise._fold_char(ch) == ch.lower(), hex(cp)
            assert len(ch.lower()) == 1, hex(cp)
            assert normalise._SPECIAL_RE.match(ch.lower()) is None, hex(cp)


@given(st.text(st.sampled_from("aAbo .!?-\n"), max_size=40))
def test_tripled_letter_test_for_ascii_agrees_with_the_regex(text: str) -> None:
    folded = text.lower()
    assert normalise._has_tripled_letter(folded) == (re.search(r"([a-z])\1\1", folded) is not None)


def test_fold_char_never_returns_format_or_surrogate_characters() -> None:
    for cp in [
        *range(0, 0x3000),
        *range(0xFB00, 0x10000),
        *range(0x1D400, 0x1D800),
        *range(0x1F100, 0x1F200),
    ]:
        folded = normalise._fold_char(chr(cp))
        assert all(unicodedata.category(c) not in ("Cf", "Cs") for c in folded), hex(cp)


# -- properties --------------------------------------------------------------------------------------

# Characters that exercise every rule, mixed with arbitrary text (surrogates included).
EVASIVE = st.sampled_from(
    [*"abcdeiloust ABC .-*#_%?!@$|€&^013457890\n\t\u200b\u00ad\u0301\u0308ﬁ😀\ufe0fіоеΗηｆ𝐚ⓐß", "\ud800"]
)
TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.text(EVASIVE, max_size=60),
    st.lists(st.sampled_from(["s p a c", "w**d", "l33t", "sooo", "!!!", "a b c", "h\u0435y", " "])).map(
        "".join
    ),
)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.data())
def test_map_is_valid_for_any_text(text: str, data: st.DataObject) -> None:
    for normaliser in (plain, with_vocabulary):
        result = normaliser(text)
        assert result.original == text
        assert_valid_map(result)
        n = len(result.text)
        begin = data.draw(st.integers(0, n))
        end = data.draw(st.integers(begin, n))
        b, e = result.to_original(begin, end)
        assert 0 <= b <= e <= len(text)
        if begin < end:
            assert b < e


# Neutral words disguised with random evasions, so that the vocabulary can resolve them.
NEUTRAL_WORDS = ["word", "hello", "cool", "good", "bell", "boss", "table", "sail"]
neutral = Normaliser(NEUTRAL_WORDS)


@st.composite
def disguised_words(draw: st.DrawFn) -> str:
    word = list(draw(st.sampled_from(NEUTRAL_WORDS)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(word) - 1))
        word[i] = draw(st.sampled_from([*"*#_%?&^.-!@$|€0134578", word[i] * 3, ""]))
    before = draw(st.sampled_from(["", " ", "(", "a ", "x.", "1", "@", "#"]))
    after = draw(st.sampled_from(["", " ", ")", "!!!", "s", "'s", ".x", "1st"]))
    return before + "".join(word) + after


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXTS, st.lists(disguised_words(), max_size=4).map(" ".join)))
def test_quick_detection_never_misses_a_rewrite(text: str) -> None:
    """When `_detect` finds nothing, a full stage B must not change the text either."""
    for normaliser in (plain, with_vocabulary, neutral):
        folded, source = normaliser._fold(text)
        folded = normaliser._map_confusables(text, folded, source)
        if not any(normaliser._detect(folded)):
            assert normaliser._rewrite(text, folded, source, (True,) * 4).text == folded


def test_a_mask_that_fits_one_censored_word_and_others_is_that_word() -> None:
    """People mask profanity, not "shot": of equally long fits, the one censored word is taken."""
    assert Normaliser(["shit", "shot"], masked=["shit"])("sh*t").text == "shit"
    assert Normaliser(["shit", "shot"])("sh*t").text == "sh*t"  # nothing known to be censored
    assert Normaliser(["shit", "slut", "shot"], masked=["shit", "slut"])("s**t").text == "s**t"  # two
