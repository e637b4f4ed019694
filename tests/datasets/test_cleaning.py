"""Format-artefact removal: Kaggle escapes and HTML entities, and nothing else."""

from __future__ import annotations

from threadguard.datasets.cleaning import decode_kaggle_comment, unescape_html


def test_unescape_html_decodes_entities() -> None:
    assert unescape_html("fish &amp; chips &#128514; &lt;3") == "fish & chips \U0001f602 <3"


def test_unescape_html_leaves_unterminated_and_unknown_names() -> None:
    # html.unescape alone would turn "&not" into a logic sign
    assert unescape_html("you&notme &diff; AT&T") == "you&notme &diff; AT&T"


def test_kaggle_outer_quotes_and_newlines() -> None:
    assert decode_kaggle_comment('"first line\\nsecond"') == "first line\nsecond"


def test_kaggle_double_escaped_newline_and_utf8_bytes() -> None:
    # \\n escaped twice; \xc2\xa0 are the UTF-8 bytes of a no-break space, escaped twice too
    assert decode_kaggle_comment('"a\\\\nb\\\\xc2\\\\xa0c"') == "a\nb\u00a0c"


def test_kaggle_latin1_byte_and_unicode_escapes() -> None:
    # \xe4 alone is not UTF-8: read it as Latin-1; \ud83d\ude00 is a surrogate pair
    assert decode_kaggle_comment('"K\\xe4se \\u2026 \\ud83d\\ude00"') == "K\u00e4se \u2026 \U0001f600"


def test_kaggle_apostrophe_entity_and_plain_backslash() -> None:
    assert decode_kaggle_comment('"don\\\'t &amp; \\o/"') == "don't & \\o/"
