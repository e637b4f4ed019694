"""A self-contained HTML page of scored threads: the tree, flagged comments, highlighted spans, a chart.

Everything from the input (comment text, authors, titles) goes through Jinja2's autoescaping; the page
loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

from threadguard.attributes import ATTRIBUTES
from threadguard.scores import CommentScore
from threadguard.text.utf16 import Utf16Index
from threadguard.thread.model import Thread
from threadguard.thread.scoring import ScoredComment
from threadguard.thread.stats import ThreadSummary


@dataclass(frozen=True)
class Segment:
    """A piece of a comment's text; `why` names the attributes whose spans cover it (empty: plain)."""

    text: str
    why: str = ""


def segments(text: str, score: CommentScore | None, thresholds: Mapping[str, float]) -> list[Segment]:
    """The text cut at the span boundaries of the attributes the comment is flagged for."""
    if score is None:
        return [Segment(text)]
    index = Utf16Index(text)
    cover: list[list[str]] = [[] for _ in text]
    for name in ATTRIBUTES:
        if score.attributes[name] < thresholds.get(name, 0.5):
            continue
        for span in score.spans.get(name, []):
            for i in range(index.to_index(span.begin), index.to_index(span.end)):
                cover[i].append(f"{name} {span.score:.2f}")
    pieces: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or cover[i] != cover[start]:
            pieces.append(Segment(text[start:i], ", ".join(cover[start])))
            start = i
    return pieces or [Segment("")]


def render_report(
    threads: Sequence[tuple[Thread, list[ScoredComment]]],
    summary: ThreadSummary,
    thresholds: Mapping[str, float],
    model: str,
) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(
        (resources.files("threadguard") / "resources" / "templates" / "thread_report.html").read_text("utf-8")
    )
    shares = summary.flagged_share()
    return template.render(
        threads=[
            (thread, [(item, segments(item.comment.text, item.score, thresholds)) for item in scored])
            for thread, scored in threads
        ],
        summary=summary.as_dict(),
        chart=[(name, shares[name]) for name in ATTRIBUTES],
        attributes=ATTRIBUTES,
        model=model,
    )
