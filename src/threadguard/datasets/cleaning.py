"""Undo format artefacts in dataset texts (HTML entities, Kaggle's escaped strings) and nothing more.

The texts stay otherwise raw: evasion, casing and noise are what the model must learn to handle.
"""

from __future__ import annotations

import html
import re

# Only well-formed entities with a semicolon: html.unescape alone would also turn "&not" into "¬".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Runs of \xNN are UTF-8 (or Latin-1) bytes, runs of \uNNNN are UTF-16 code units (emoji come as pairs).
_ESCAPE = re.compile(r"(?:\\x[0-9a-fA-F]{2})+|(?:\\u[0-9a-fA-F]{4})+|\\[\\nrt'\"]")
_SIMPLE = {"\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t", "\\'": "'", '\\"': '"'}


def unescape_html(text: str) -> str:
    """Decode HTML entities such as `&amp;` and `&#128514;` that scrapers left in tweets and comments."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def decode_kaggle_comment(raw: str) -> str:
    """Turn an Impermium/Kaggle `Comment` value (quoted, with literal `\\n`, `\\xc2\\xa0`) into plain text.

    Some comments are escaped twice (`\\\\n`), so escapes are decoded until nothing changes.
    """
    text = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    for _ in range(4):
        decoded = _ESCAPE.sub(_decode_escape, text)
        if decoded == text:
            break
        text = decoded
    return unescape_html(text)


def _decode_escape(match: re.Match[str]) -> str:
    token = match.group(0)
    if token in _SIMPLE:
        return _SIMPLE[token]
    if token[1] == "x":
        data = bytes(int(token[i + 2 : i + 4], 16) for i in range(0, len(token), 4))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    units = b"".join(int(token[i + 2 : i + 6], 16).to_bytes(2, "little") for i in range(0, len(token), 6))
    return units.decode("utf-16-le", errors="replace")
