"""A self-contained HTML page of scored threads: the tree, flagged comments, highlighted spans, a chart.

Everything from the input (comment text, authors, titles) goes through Jinja2's autoescaping; the page
loads nothing from the network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources

import jinja2

from threadguard.attributes import ATTRIBUTES
from threadguard.scores import CommentScore
from threadguard.text import highlight
from threadguard.thread.model import Thread, label
from threadguard.thread.scoring import ScoredComment
from threadguard.thread.stats import ThreadSummary


def segments(
    text: str, score: CommentScore | None, thresholds: Mapping[str, float]
) -> list[highlight.Segment]:
    """The text cut at the span boundaries of the attributes the comment is flagged for; each piece is
    labelled with those attributes and their span scores."""
    spans: defaultdict[str, list[dict[str, int]]] = defaultdict(list)
    if score is not None:
        for name in ATTRIBUTES:
            if score.attributes[name] >= thresholds.get(name, 0.5):
                for span in score.spans.get(name, []):
                    spans[f"{name} {span.score:.2f}"].append({"begin": span.begin, "end": span.end})
    return highlight.segments(text, spans)


def render_report(
    threads: Sequence[tuple[Thread, list[ScoredComment]]],
    summary: ThreadSummary,
    thresholds: Mapping[str, float],
    model: str,
) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["label"] = label
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
