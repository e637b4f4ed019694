"""The moderator app in Debian's chromium: log in, triage with the keyboard, bulk-reject, and check
that decisions are persisted and audited and that comment text is never run as markup."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import REPORTS

SHOTS = REPORTS / "screenshots"


def api(server: dict[str, Any], path: str) -> Any:
    sep = "&" if "?" in path else "?"
    return httpx.get(f"{server['base']}{path}{sep}key={server['keys']['admin']}", timeout=30).json()


def statuses(server: dict[str, Any]) -> dict[int, str]:
    every = "status=pending&status=escalated&status=approved&status=rejected&limit=500"
    return {c["id"]: c["status"] for c in api(server, f"/api/v1/queue?{every}")["comments"]}


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def log_in(page, server, password: str = "admin-password") -> None:
    page.goto(f"{server['base']}/queue")
    assert "/login" in page.url
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_login_keyboard_triage_bulk_reject_and_audit(page, live_server) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server, password="wrong-password")
    assert page.locator(".error").inner_text() == "Wrong user name or password."
    page.screenshot(path=str(SHOTS / "web_login.png"))
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    rows = page.locator("tr.item")
    ids = [int(i) for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")]
    risks = [float(r) for r in page.locator("td.risk").all_inner_texts()]
    assert len(ids) >= 5 and risks == sorted(risks, reverse=True)
    page.screenshot(path=str(SHOTS / "web_queue.png"), full_page=True)

    # nothing is current on load: a decision key does nothing until the moderator moves
    assert page.locator("tr.item.focused").count() == 0
    page.keyboard.press("f")
    page.wait_for_selector("#toast.show.bad")
    assert page.locator("tr.item.done").count() == 0
    # Coral's keys: j to the first, f approves it, skip one with j, d rejects the next, e escalates
    page.keyboard.press("j")
    page.keyboard.press("f")
    page.wait_for_selector(f"tr.item[data-id='{ids[0]}'].done")
    page.keyboard.press("j")
    page.keyboard.press("d")
    page.wait_for_selector(f"tr.item[data-id='{ids[2]}'].done")
    page.keyboard.press("e")
    page.wait_for_selector(f"tr.item[data-id='{ids[3]}'].done")
    # bulk: select two more with x and reject them with Shift+D
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.locator("#selected-count").inner_text() == "2 selected"
    page.keyboard.press("Shift+D")
    page.wait_for_selector(f"tr.item[data-id='{ids[5]}'].done")

    now = statuses(live_server)
    assert [now[i] for i in ids[:6]] == [
        "approved",
        "pending",
        "rejected",
        "escalated",
        "rejected",
        "rejected",
    ]
    trail = api(live_server, "/api/v1/audit?actor=admin")["entries"]
    audited = {(e["comment_id"], e["action"]) for e in trail}
    assert {
        (ids[0], "approve"),
        (ids[2], "reject"),
        (ids[3], "escalate"),
        (ids[4], "reject"),
        (ids[5], "reject"),
    } <= audited
    assert "login" in {e["action"] for e in trail}

    page.goto(f"{live_server['base']}/audit")
    assert page.locator("#audit tbody tr").count() >= 6
    page.screenshot(path=str(SHOTS / "web_audit.png"), full_page=True)
    page.goto(f"{live_server['base']}/stats")
    assert page.locator("svg.chart").count() == 2
    page.screenshot(path=str(SHOTS / "web_stats.png"), full_page=True)


def test_script_in_a_comment_is_shown_as_text(page, live_server) -> None:
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    script_text = live_server["texts"]["script"]
    cell = page.locator("td.text", has_text="alert('owned')")
    page.goto(f"{live_server['base']}/queue?tab=all")
    assert cell.count() == 1
    assert "<script>alert('owned')</script>" in cell.inner_text()
    assert page.locator("td.text script").count() == 0
    cell.locator("a.open").click()
    page.wait_for_url("**/comments/*")
    assert "<script>alert('owned')</script>" in page.locator("p.text").inner_text()
    assert page.locator("p.text mark.span").count() >= 1  # the spans behind the score are highlighted
    legend = page.locator("#span-legend span").all_inner_texts()
    marked = page.locator("p.text mark.span").evaluate_all("ms => ms.map(m => m.dataset.attributes)")
    assert legend and {a for m in marked for a in m.split(", ")} <= set(legend)  # each colour named
    assert page.locator("p.parent").count() == 1 and page.locator("p.article").count() == 1
    assert script_text.split()[-1] in page.locator("p.text").inner_text()
    page.screenshot(path=str(SHOTS / "web_comment.png"), full_page=True)
    assert page.dialogs == []


def test_decisions_from_a_session_need_the_csrf_token(page, live_server) -> None:
    log_in(page, live_server)
    page.wait_for_url("**/queue")
    some = next(iter(statuses(live_server)))
    refused = page.request.post(
        f"{live_server['base']}/api/v1/decisions", data={"comment_ids": [some], "action": "approve"}
    )
    assert refused.status == 403 and "CSRF" in refused.json()["error"]["message"]
    cookie = next(c for c in page.context.cookies() if c["name"] == "threadguard_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
