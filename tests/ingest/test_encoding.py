"""Bytes that are not UTF-8 still decode to the text that was written."""

from __future__ import annotations

from collections import Counter

import pytest

from threadguard.ingest.encoding import decode


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("La crème brûlée était très bonne, merci à vous.", "latin-1"),
        ("Größe und Übermaß sind schön, sagte der Bäcker.", "cp1252"),
        ("Привет, как дела? Всё хорошо, спасибо за статью.", "cp1251"),
    ],
)
def test_legacy_encodings_are_detected_and_counted(text: str, encoding: str) -> None:
    warnings: Counter[str] = Counter()
    assert decode(text.encode(encoding), warnings) == text
    assert sum(v for k, v in warnings.items() if k.startswith("encoding_")) == 1


def test_utf8_and_boms_pass_without_warnings() -> None:
    warnings: Counter[str] = Counter()
    assert decode("naïve 😀".encode(), warnings) == "naïve 😀"
    assert decode("\ufeffhi".encode("utf-16-le"), warnings) == "hi"
    assert decode(b"\xef\xbb\xbfhi", warnings) == "hi"
    assert not warnings


def test_a_declared_encoding_is_honoured() -> None:
    warnings: Counter[str] = Counter()
    assert decode("Ærø".encode("iso-8859-1"), warnings, declared="iso-8859-1") == "Ærø"
    assert warnings == {"encoding_iso-8859-1": 1}
