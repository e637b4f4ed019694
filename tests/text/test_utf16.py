"""UTF-16 offsets as Perspective reports them: an emoji (outside the BMP) counts 2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadguard.text.utf16 import Utf16Index, replace_lone_surrogates, utf16_length


def test_length_of_ascii_and_bmp_text_is_its_length() -> None:
    assert utf16_length("") == 0
    assert utf16_length("Hi there") == 8
    assert utf16_length("café – “quoted”") == len("café – “quoted”")


def test_length_counts_an_emoji_twice() -> None:
    assert utf16_length("Hi 😀") == 5
    assert utf16_length("😀😀") == 4
    assert utf16_length("𝐢𝐝") == 4  # mathematical letters are outside the BMP too


def test_hi_there_span() -> None:
    text = "Hi there"
    index = Utf16Index(text)
    assert (index.to_utf16(0), index.to_utf16(2)) == (0, 2)
    assert text[index.to_index(0) : index.to_index(2)] == "Hi"


def test_offsets_after_an_emoji_shift_by_one() -> None:
    text = "a😀b"
    index = Utf16Index(text)
    assert [index.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4]
    assert [index.to_index(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]


def test_offset_inside_a_surrogate_pair_is_an_error() -> None:
    index = Utf16Index("a😀b")
    with pytest.raises(IndexError):
        index.to_index(2)


@pytest.mark.parametrize("text", ["", "abc", "a😀b"])
def test_out_of_range_is_an_error(text: str) -> None:
    index = Utf16Index(text)
    with pytest.raises(IndexError):
        index.to_utf16(len(text) + 1)
    with pytest.raises(IndexError):
        index.to_utf16(-1)
    with pytest.raises(IndexError):
        index.to_index(utf16_length(text) + 1)


def test_lone_surrogate_counts_one_unit() -> None:
    text = "a\ud800b"
    assert utf16_length(text) == 3
    assert Utf16Index(text).to_utf16(3) == 3


def test_lone_surrogates_become_replacement_characters_and_are_counted() -> None:
    assert replace_lone_surrogates("a\ud800b\udfff\udbff\udc00") == ("a\ufffdb\ufffd\ufffd\ufffd", 4)
    assert replace_lone_surrogates("fine \U0001f600 café") == ("fine \U0001f600 café", 0)
    assert replace_lone_surrogates("") == ("", 0)


@given(st.text(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr))))
def test_the_result_is_always_valid_utf8(text: str) -> None:
    repaired, count = replace_lone_surrogates(text)
    assert repaired.encode("utf-8").decode("utf-8") == repaired
    assert len(repaired) == len(text) and count == sum(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


@given(st.text())
def test_round_trip(text: str) -> None:
    index = Utf16Index(text)
    assert index.to_utf16(len(text)) == utf16_length(text) == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        assert index.to_index(index.to_utf16(i)) == i
