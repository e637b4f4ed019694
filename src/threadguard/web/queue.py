"""The moderation queue page: tabs per state with counts, filters that narrow the list, full-text
search, rows with their story, parent and author's record. Decisions go through /api/v1/decisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.server.runtime import runtime
from threadguard.store.authors import records
from threadguard.store.comments import (
    QUEUE_STATUSES,
    SORTS,
    TIERS,
    QueueFilters,
    parents_of,
    queue,
    recent_threads,
    status_counts,
    threads_of,
)
from threadguard.store.schema import STATUSES
from threadguard.web.format import highlighted, row_id
from threadguard.web.routes import page, user

router = APIRouter(include_in_schema=False)
PAGE = 100
TABS = {
    "pending": ("Pending", ("pending",)),
    "escalated": ("Escalated", ("escalated",)),
    "reported": ("Reported later", ("reported",)),
    "approved": ("Approved", ("approved",)),
    "rejected": ("Rejected", ("rejected",)),
    "all": ("All", STATUSES),
}
FILTER_NAMES = ("attribute", "min_score", "community", "thread_id", "author", "since", "until", "target",
                "language", "tier", "q", "sort")  # fmt: skip


@router.get("/queue")
def queue_page(request: Request, tab: str = "pending", offset: int = 0) -> HTMLResponse:
    caller = user(request)
    form = {name: request.query_params.get(name, "").strip()[:200] for name in FILTER_NAMES}
    tab = tab if tab in TABS else "pending"
    filters = filters_from(form, TABS[tab][1], offset)
    with runtime(request).sessions() as session:
        comments = queue(session, filters)
        counts = status_counts(session, filters)
        parents = parents_of(session, comments)
        threads = threads_of(session, comments)
        record = records(session, [c.author for c in comments if c.author])
        rows = [
            {"c": c, "segs": highlighted(c.text, c.spans, c.scores()), "parent": parents.get(c.id),
             "thread": threads.get(c.thread_id or 0), "record": record.get(c.author or "")}
            for c in comments
        ]  # fmt: skip
        tabs = [(key, title, sum(counts[s] for s in statuses)) for key, (title, statuses) in TABS.items()]
        return page(
            request, "queue.html", caller, rows=rows, query_string=query_string, tabs=tabs, tab=tab,
            form=form, offset=filters.offset, page_size=PAGE, stories=recent_threads(session),
            targets=TARGET_GROUPS, tiers=TIERS, sorts=SORTS, waiting=tab in QUEUE_STATUSES,
        )  # fmt: skip


def filters_from(form: dict[str, str], statuses: tuple[str, ...], offset: int) -> QueueFilters:
    """The page's query string as queue filters; a value that does not parse is ignored."""
    return QueueFilters(
        statuses=statuses,
        attribute=form["attribute"] if form["attribute"] in ATTRIBUTES else None,
        min_score=_probability(form["min_score"]),
        community=form["community"] or None,
        thread_id=row_id(form["thread_id"]),
        author=form["author"] or None,
        since=parse_day(form["since"]),
        until=_day_after(parse_day(form["until"])),
        target=form["target"] if form["target"] in TARGET_GROUPS else None,
        language=form["language"] or None,
        tier=form["tier"] if form["tier"] in TIERS else None,
        search=form["q"] or None,
        sort=form["sort"] if form["sort"] in SORTS else "risk",
        limit=PAGE,
        offset=max(0, min(offset, 10**9)),
    )


def parse_day(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_after(day: datetime | None) -> datetime | None:
    """ "To 2025-03-02" includes that day."""
    return day + timedelta(days=1) if day and (day.hour, day.minute, day.second) == (0, 0, 0) else day


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return min(1.0, max(0.0, number)) if number == number else 0.0  # NaN: no filter


def query_string(form: dict[str, Any], **changes: Any) -> str:
    """The page's filters with some changed, for tab and paging links."""
    values = {k: v for k, v in {**form, **changes}.items() if v not in ("", None)}
    return urlencode(values)
