"""One comment's page: its story, parent, coloured spans with a legend, scores, target groups, the
author's record and standing, the audit trail, and the next comment in the queue."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from threadguard.attributes import TARGET_GROUPS
from threadguard.server.runtime import runtime
from threadguard.store import audit
from threadguard.store.authors import standings_of
from threadguard.store.comments import (
    QUEUE_STATUSES,
    TARGET_MIN,
    author_history,
    get_comment,
    get_thread,
    next_in_queue,
    parent_of,
)
from threadguard.web.format import MAX_ROW_ID, highlighted, visible_spans
from threadguard.web.routes import SECURITY_HEADERS, page, user

router = APIRouter(include_in_schema=False)


@router.get("/comments/{comment_id}")
def comment_page(comment_id: int, request: Request) -> HTMLResponse:
    caller = user(request)
    with runtime(request).sessions() as session:
        comment = get_comment(session, comment_id) if 0 < comment_id < MAX_ROW_ID else None
        if comment is None:
            return HTMLResponse("no such comment", status_code=404, headers=SECURITY_HEADERS)
        history = author_history(session, comment.author, limit=10) if comment.author else None
        standing = (
            [s for s in standings_of(session, comment.author) if s.community == comment.community]
            if (comment.author)
            else []
        )
        targets = sorted(
            ((g, p) for g, p in comment.targets.items() if g in TARGET_GROUPS and p >= TARGET_MIN),
            key=lambda gp: -gp[1],
        )
        spans = visible_spans(comment.spans, comment.scores())
        return page(
            request, "comment.html", caller, comment=comment,
            segments=highlighted(comment.text, comment.spans, comment.scores()),
            span_attributes=sorted(spans),
            parent=parent_of(session, comment), thread=get_thread(session, comment.thread_id),
            history=history, standing=standing[0] if standing else None, targets=targets,
            trail=audit.entries(session, comment_id=comment.id), next=next_in_queue(session, comment),
            waiting=comment.status in QUEUE_STATUSES,
        )  # fmt: skip
