"""Split a comment into plain and highlighted segments from its spans (UTF-16 offsets), so that the
template can escape every piece of text and wrap the risky ones in <mark>."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from threadguard.text.utf16 import Utf16Index


@dataclass(frozen=True)
class Segment:
    text: str
    attributes: tuple[str, ...]  # empty: not part of any span

    @property
    def label(self) -> str:
        return ", ".join(self.attributes)


def segments(text: str, spans: dict[str, list[dict[str, Any]]]) -> list[Segment]:
    """`text` cut at every span boundary; each piece knows which attributes' spans cover it.
    Spans that do not fit the text (a stale or bad offset) are ignored rather than break the page."""
    index = Utf16Index(text)
    covering: list[tuple[int, int, str]] = []
    for attribute, attribute_spans in spans.items():
        for span in attribute_spans:
            try:
                begin, end = index.to_index(int(span["begin"])), index.to_index(int(span["end"]))
            except (IndexError, KeyError, TypeError, ValueError):
                continue
            if begin < end:
                covering.append((begin, end, attribute))
    cuts = sorted({0, len(text), *(b for b, _, _ in covering), *(e for _, e, _ in covering)})
    out = []
    for start, stop in pairwise(cuts):
        names = tuple(sorted({a for b, e, a in covering if b <= start and stop <= e}))
        out.append(Segment(text[start:stop], names))
    return out
