"""Split a comment into plain and highlighted segments from its spans (UTF-16 offsets), so that a
template (the moderator app, the HTML thread report) can escape every piece of text and wrap the risky
ones in <mark>."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from threadguard.text.utf16 import Utf16Index


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...]  # what covers it, e.g. attribute names; empty: not part of any span

    @property
    def label(self) -> str:
        return ", ".join(self.labels)


def segments(text: str, spans: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Segment]:
    """`text` cut at every span boundary; each piece knows the labels (keys of `spans`, usually
    attribute names) whose spans cover it. Spans are {"begin", "end"} in UTF-16 code units; those that
    do not fit the text (a stale or bad offset) are ignored rather than break the page."""
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
