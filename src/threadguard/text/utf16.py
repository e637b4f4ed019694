"""Conversion between Python string indices (code points) and UTF-16 code units, as Perspective counts."""

from __future__ import annotations

import re
from itertools import accumulate

_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """`text` with each surrogate code point (U+D800..U+DFFF) replaced by U+FFFD, and how many there were.

    JSON's "\\ud800" escape puts a lone surrogate in a Python string; it has no UTF-8 form, so the
    database, the JSON response and fastText all fail on it. A surrogate pair in JSON decodes to one
    character (an emoji), so a surrogate code point left in a `str` is never text. The length is kept."""
    if text.isascii():
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)


def _is_bmp(text: str) -> bool:
    return text.isascii() or max(text) <= "\uffff"


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: a character outside the BMP (most emoji) counts 2."""
    if _is_bmp(text):
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Utf16Index:
    """Maps code-point indices of one text to UTF-16 offsets and back in O(1) after O(n) set-up."""

    def __init__(self, text: str) -> None:
        self._identity = _is_bmp(text)
        self._length = len(text)
        if not self._identity:
            widths = (2 if ord(ch) > 0xFFFF else 1 for ch in text)
            self._to_utf16 = [0, *accumulate(widths)]
            self._to_index: dict[int, int] = {u: i for i, u in enumerate(self._to_utf16)}

    def to_utf16(self, index: int) -> int:
        """UTF-16 offset of code-point `index` (0 <= index <= len(text))."""
        if not 0 <= index <= self._length:
            raise IndexError(f"index {index} outside 0..{self._length}")
        return index if self._identity else self._to_utf16[index]

    def to_index(self, offset: int) -> int:
        """Code-point index of UTF-16 `offset`; an offset inside a surrogate pair is an error."""
        if self._identity:
            if not 0 <= offset <= self._length:
                raise IndexError(f"UTF-16 offset {offset} outside 0..{self._length}")
            return offset
        try:
            return self._to_index[offset]
        except KeyError:
            raise IndexError(
                f"UTF-16 offset {offset} is outside the text or inside a surrogate pair"
            ) from None
