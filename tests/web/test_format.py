"""How the app writes times, counts and spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from threadguard.text.highlight import Segment
from threadguard.web.format import ago, local_time, mark, plural, visible_spans


def test_times_are_minutes_in_utc_for_the_browser_to_localise_and_relative_in_lists() -> None:
    moment = datetime(2025, 3, 1, 12, 30, 15, 123456)  # as SQLite gives it back: no zone
    html = str(local_time(moment))
    assert 'datetime="2025-03-01T12:30:15Z"' in html and ">2025-03-01 12:30 UTC<" in html
    assert "123456" not in html
    now = datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
    assert ago(now - timedelta(minutes=5), now) == "5 min ago"
    assert ago(now - timedelta(hours=3), now) == "3 h ago"
    assert (
        ago(now - timedelta(days=1), now) == "1 day ago" and ago(now - timedelta(days=2), now) == "2 days ago"
    )
    assert ago(now - timedelta(days=90), now) == "2024-12-01"
    assert plural(1, "comment") == "1 comment" and plural(0, "comment") == "0 comments"


def test_only_spans_that_matter_are_marked_and_text_is_escaped() -> None:
    spans = {"THREAT": [{"begin": 0, "end": 3, "score": 0.4}, {"begin": 4, "end": 6, "score": 0.001}],
             "INSULT": [{"begin": 0, "end": 3, "score": 0.5}]}  # fmt: skip
    shown = visible_spans(spans, {"THREAT": 0.9, "INSULT": 0.1})
    assert shown == {"THREAT": [{"begin": 0, "end": 3, "score": 0.4}]}  # no 0.00 span, none for INSULT 0.1
    html = str(mark(Segment("<b>x</b>", ("THREAT",))))
    assert html.startswith('<mark class="span a-THREAT"') and "&lt;b&gt;x&lt;/b&gt;" in html
    assert str(mark(Segment("<i>", ()))) == "&lt;i&gt;"
