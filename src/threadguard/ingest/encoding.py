"""Bytes to text for exports that are not always UTF-8."""

from __future__ import annotations

from collections import Counter

import charset_normalizer

BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def decode(data: bytes, warnings: Counter[str], declared: str | None = None) -> str:
    """UTF-8 when it is; otherwise the declared or detected encoding, counted as "encoding_<name>";
    bytes that fit no encoding become U+FFFD, counted as "undecodable_bytes"."""
    for bom, name in BOMS.items():
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in (declared, _detect(data)):
        if candidate and candidate.lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            try:
                text = data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
            warnings[f"encoding_{candidate.lower()}"] += 1
            return text
    text = data.decode("utf-8", errors="replace")
    warnings["undecodable_bytes"] += text.count("\ufffd")
    return text


def _detect(data: bytes) -> str | None:
    """The detector's pick, unless Windows-1252 reads the bytes just as cleanly: short Western European
    text fits several single-byte code pages (Mac Icelandic, Baltic), and 1252 is the one the web used."""
    sample = data[:200_000]
    best = charset_normalizer.from_bytes(sample).best()
    western = charset_normalizer.from_bytes(sample, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        return "cp1252"
    return best.encoding if best else None
