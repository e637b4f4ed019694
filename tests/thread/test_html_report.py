"""The HTML report in a real headless Chromium: tree, highlighted spans, summary, escaped text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPORTS
from threadguard.thread.context import ContextScorer
from threadguard.thread.html_report import render_report, segments
from threadguard.thread.model import Comment
from threadguard.thread.scoring import score_thread
from threadguard.thread.stats import ThreadSummary
from threadguard.thread.tree import make_thread

FIXTURE = Path(__file__).parents[1] / "fixtures" / "threads" / "report_thread.jsonl"


@pytest.fixture(scope="module")
def report_html() -> str:
    rows = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines()]
    thread = make_thread(
        "jsonl",
        [Comment(r["id"], r["parent_id"], r["text"], r["author"]) for r in rows],
        title=rows[0]["title"],
        article=rows[0]["article"],
    )
    scorer = ContextScorer.load()
    scored = score_thread(thread, scorer)
    summary = ThreadSummary().add(scored, scorer.scorer.flag_thresholds)
    return render_report([(thread, scored)], summary, scorer.scorer.flag_thresholds, scorer.version)


def test_segments_cover_the_text_exactly_with_utf16_spans() -> None:
    from threadguard.scorer import Scorer

    text = "😀 you stupid idiot"
    (score,) = Scorer.load().score([text])
    pieces = segments(text, score, {"INSULT": 0.5})
    assert "".join(p.text for p in pieces) == text
    assert any("INSULT" in p.label and "idiot" in p.text for p in pieces)


def test_comment_markup_is_escaped_in_the_page(report_html) -> None:
    assert "<script>window.__pwned" not in report_html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in report_html


def test_the_report_renders_in_chromium(browser, report_html, tmp_path) -> None:
    path = tmp_path / "report.html"
    path.write_text(report_html, "utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(path.as_uri())
        comments = page.locator(".comment")
        assert comments.count() == 4
        depths = [comments.nth(i).get_attribute("data-depth") for i in range(4)]
        assert depths == ["1", "1", "2", "3"]
        flagged = page.locator(".comment.flagged")
        assert flagged.count() >= 2
        marks = page.locator(".comment.flagged mark.span")
        assert marks.count() >= 1
        assert "Gallows" in " ".join(marks.all_inner_texts())
        assert "<script>window.__pwned = 1</script><b>bold?</b>" in comments.nth(2).inner_text()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#summary [data-key=comments]").inner_text() == "4"
        assert page.locator("#chart rect").count() == 7
        REPORTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(REPORTS / "screenshots" / "thread_report.png"), full_page=True)
    finally:
        page.close()


def test_codes_have_readable_labels_and_only_flagged_authors_are_summarised() -> None:
    from threadguard.thread.model import FLAGS, LABELS

    comments = [
        Comment("1", None, "Thanks for a careful article.", author="calm"),
        Comment("2", None, "Also thanks, well written.", author=None, flags={"author_missing"}),
        Comment("3", "9", "You are a stupid idiot.", author="rude"),  # "9" is missing: an orphan
    ]
    thread = make_thread("jsonl", comments, title="t")
    scorer = ContextScorer.load(tier="fast")
    scored = score_thread(thread, scorer)
    summary = ThreadSummary().add(scored, scorer.scorer.flag_thresholds)
    html = render_report([(thread, scored)], summary, scorer.scorer.flag_thresholds, scorer.version)
    assert set(FLAGS) <= set(LABELS)
    assert "no author in the export" in html and "· author_missing" not in html
    assert "reply whose parent is missing" in html
    assert list(summary.as_dict()["authors_most_flagged"]) == ["rude"]
    assert "calm" not in html.split('id="summary"')[1].split("</section>")[0]
