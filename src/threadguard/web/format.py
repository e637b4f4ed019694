"""How the moderator app writes times, counts and spans: Jinja filters registered by web/routes.py.

Times go out as <time datetime="…Z"> with a readable UTC text that app.js rewrites in the moderator's
local time zone; the server does not know it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

from threadguard.text.highlight import Segment, segments

MIN_SPAN_SCORE = 0.005  # a span that moves its score by less than this shows as 0.00: not worth a mark
MIN_PROBABILITY = 0.35  # spans are shown for the attributes the comment may well have, not for every one


def aware(value: datetime) -> datetime:
    """SQLite returns stored times without their zone; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """ "5 min ago", "3 h ago", "2 days ago"; a date past a month."""
    if value is None:
        return ""
    seconds = ((now or datetime.now(UTC)) - aware(value)).total_seconds()
    if seconds < 0:
        return "in the future"
    for size, unit in ((86400 * 30, None), (86400, "day"), (3600, "h"), (60, "min")):
        if seconds >= size:
            if unit is None:
                return f"{aware(value):%Y-%m-%d}"
            n = int(seconds // size)
            return plural(n, unit) + " ago" if unit == "day" else f"{n} {unit} ago"
    return "just now"


def local_time(value: datetime | None, relative: bool = False) -> Markup:
    """A <time> element: minutes, no microseconds, UTC until the browser shows local time."""
    if value is None:
        return Markup("")
    moment = aware(value).astimezone(UTC).replace(microsecond=0)
    shown = ago(moment) if relative else f"{moment:%Y-%m-%d %H:%M} UTC"
    kind = "relative" if relative else "local"
    return Markup('<time datetime="{}" data-time="{}" title="{}">{}</time>').format(
        moment.isoformat().replace("+00:00", "Z"), kind, f"{moment:%Y-%m-%d %H:%M} UTC", shown
    )


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 comment", "2 comments"."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def visible_spans(
    spans: Mapping[str, Any], scores: Mapping[str, float]
) -> dict[str, list[Mapping[str, Any]]]:
    """Spans worth showing: of attributes scored at least 0.35, moving the score by at least 0.005."""
    kept = {
        a: [s for s in ss if float(s.get("score", 0)) >= MIN_SPAN_SCORE]
        for a, ss in spans.items()
        if scores.get(a, 0.0) >= MIN_PROBABILITY
    }
    return {a: ss for a, ss in kept.items() if ss}


def highlighted(text: str, spans: Mapping[str, Any], scores: Mapping[str, float]) -> list[Segment]:
    return segments(text, visible_spans(spans, scores))


def excerpt(text: str | None, size: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def mark(segment: Segment) -> Markup:
    """One piece of a comment: escaped, and inside <mark> coloured by its first attribute when a span
    covers it (the legend names the colours)."""
    if not segment.labels:
        return escape(segment.text)
    classes = " ".join(f"a-{a}" for a in segment.labels)
    return Markup('<mark class="span {}" data-attributes="{}" title="{}">{}</mark>').format(
        classes, segment.label, segment.label, segment.text
    )


MAX_ROW_ID = 2**62  # ids and offsets beyond the databases' integers are never looked up


def row_id(value: str) -> int | None:
    """A database id typed in a filter, or None: only ASCII digits ("²" is a digit to Python) within
    the range the databases store."""
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < MAX_ROW_ID else None
