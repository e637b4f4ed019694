"""Issue 12's moderator workflow in Debian's chromium, against a real server: tabs, filters, search,
decide and undo, ban and the banned author's next comment, word lists, upload, the comment page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPORTS
from tests.web.test_app import api, log_in

SHOTS = REPORTS / "screenshots"
FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, timezone_id="Europe/Berlin")
    page = context.new_page()
    yield page
    context.close()


def post_thread(server: dict[str, Any], story: str, comments: list[dict[str, Any]]) -> None:
    body = {"id": story, "title": f"Story {story}", "comments": comments}
    key = server["keys"]["admin"]
    httpx.post(f"{server['base']}/api/v1/threads?key={key}", json=body, timeout=60).raise_for_status()


def comments_of(server: dict[str, Any], author: str) -> list[dict[str, Any]]:
    return api(
        server, f"/api/v1/queue?tab=all&status=pending&status=rejected&status=approved&author={author}"
    )["comments"]


def test_queue_filter_search_decide_undo_ban_and_the_next_comment(page, live_server) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server["base"]
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    pending = int(page.locator("a.tab[data-tab=pending] .count").inner_text())
    everything = int(page.locator("a.tab[data-tab=all] .count").inner_text())
    assert page.locator("tr.item").count() == pending and everything >= pending
    assert page.locator("tr.item .story").first.inner_text() == "Foreign fighters want to come home"
    assert page.locator("tr.item .parent-excerpt").count() >= 1
    assert "comment" in page.locator("td.author .record").first.inner_text()
    # relative time: "3 h ago", or the day for anything older than a month (the seeded 2025 comments)
    assert re.fullmatch(r".* ago|just now|\d{4}-\d\d-\d\d", page.locator("tr.item time").first.inner_text())

    # a filter narrows the list: only comments with THREAT >= 0.5, counted in the tabs too
    page.select_option("select[name=attribute]", "THREAT")
    page.fill("input[name=min_score]", "0.5")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**attribute=THREAT**")
    threat_rows = page.locator("tr.item").count()
    assert 0 < threat_rows < pending
    assert int(page.locator("a.tab[data-tab=pending] .count").inner_text()) == threat_rows
    for row in api(live_server, "/api/v1/queue?attribute=THREAT&min_score=0.5")["comments"]:
        assert row["attributes"]["THREAT"] >= 0.5

    # full-text search
    page.goto(f"{base}/queue")
    page.fill("input[name=q]", "gallows")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=gallows**")
    texts = page.locator("tr.item td.text .body").all_inner_texts()
    assert texts and all("gallows" in t.lower() for t in texts)
    page.goto(f"{base}/queue")
    page.screenshot(path=str(SHOTS / "queue.png"), full_page=True)

    # decide with Coral's key, then undo with u: the comment is pending again, both audited
    first = page.locator("tr.item").first.get_attribute("data-id")
    page.keyboard.press("j")
    page.keyboard.press("f")
    page.wait_for_selector(f"tr.item[data-id='{first}'].done")
    page.keyboard.press("u")
    page.wait_for_selector(f"tr.item[data-id='{first}']:not(.done)")
    detail = api(live_server, f"/api/v1/comments/{first}")
    assert detail["status"] == "pending"
    assert [e["action"] for e in detail["audit"]][:2] == ["undo", "approve"]

    # the help lists Coral's keys and ours
    page.keyboard.press("?")
    assert page.locator("dialog#keys-help").is_visible()
    assert "undo the last decision" in page.locator("dialog#keys-help").inner_text()
    page.keyboard.press("Escape")

    # ban the author from their page; their next comment is rejected by the policy, saying why
    author = detail["author"]
    page.goto(f"{base}/authors/{author}")
    page.select_option("#author-action-select", "ban")
    page.fill("#author-action input[name=reason]", "threats")
    page.click("#author-action button[type=submit]")
    page.wait_for_selector("#standings td.standing.s-banned")
    assert "threats" in page.locator("#author-trail").inner_text()
    page.screenshot(path=str(SHOTS / "author.png"), full_page=True)
    post_thread(live_server, "after-ban", [{"id": "b1", "text": "Lovely weather today.", "author": author}])
    newest = next(c for c in comments_of(live_server, author) if c["external_id"] == "b1")
    assert newest["status"] == "rejected" and newest["policy_reasons"] == ["author banned (threats)"]


def test_word_lists_and_the_comment_page(page, live_server) -> None:
    base = live_server["base"]
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    page.goto(f"{base}/words")
    page.fill("#word-add input[name=word]", "banned")
    page.select_option("#word-add select[name=kind]", "banned")
    page.click("#word-add button[type=submit]")
    page.wait_for_selector("#words td.word:text-is('banned')")
    post_thread(live_server, "words", [{"id": "w1", "text": "You should all be b4nned", "author": "wordy"}])
    (comment,) = comments_of(live_server, "wordy")
    assert comment["status"] == "rejected" and comment["policy_reasons"] == ["banned word: banned"]

    # the comment page: local time, reason, plurals, Reopen only where it applies, live trail, next
    page.goto(f"{base}/comments/{comment['id']}")
    meta = page.locator("p.meta").inner_text()
    assert "banned word: banned" in meta and "1 comment:" in page.locator("#author-counts").inner_text()
    shown = page.locator("p.meta time").first.inner_text()
    assert "UTC" not in shown and "." not in shown.split()[-1]  # the browser's local time, no microseconds
    assert page.locator("button[data-action=reopen]").is_visible()  # rejected: may be reopened
    page.click("button[data-action=reopen]")
    page.wait_for_selector("#status:text-is('pending')")
    assert "reopen" in page.locator("#trail").inner_text()  # the trail updated without a reload
    assert page.locator("button[data-action=reopen]").is_hidden()  # pending: nothing to reopen
    assert page.locator("#next").count() == 1
    assert page.locator("p.text mark.span").count() == 0 or page.locator("#span-legend").count() == 1
    page.screenshot(path=str(SHOTS / "comment.png"), full_page=True)
    assert httpx.get(f"{base}/favicon.ico", timeout=10).status_code == 200


def test_upload_an_export_shows_progress_and_the_report(page, live_server) -> None:
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    page.goto(f"{live_server['base']}/ingest")
    page.set_input_files("#ingest-file", str(FORMATS / "generic.jsonl"))
    page.click("#ingest-submit")
    page.wait_for_selector("#ingest-report:not([hidden])", timeout=60_000)
    counts = dict(
        zip(
            page.locator("#ingest-counts th").all_inner_texts(),
            page.locator("#ingest-counts td").all_inner_texts(),
            strict=True,
        )
    )
    assert counts["format"] == "jsonl" and int(counts["comments stored (new)"]) > 0
    assert page.locator("#ingest-phase").inner_text() == "done"
    repairs = page.locator("#ingest-warnings").inner_text()
    assert "_" not in repairs  # labels, not internal codes
    page.screenshot(path=str(SHOTS / "ingest.png"), full_page=True)
