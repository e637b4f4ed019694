"""An author's page: their comments in every community, their standing per community, and the form
to ban, suspend, premoderate, trust or clear them (audited; the policy applies it to new comments)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from threadguard.policy import DEFAULT_COMMUNITY
from threadguard.server.auth import csrf_valid
from threadguard.server.runtime import runtime
from threadguard.store import audit
from threadguard.store.authors import CLEAR, AuthorError, records, set_standing, standings_of
from threadguard.store.comments import author_history
from threadguard.web.format import highlighted
from threadguard.web.routes import page, user

router = APIRouter(include_in_schema=False)
ACTION_LABELS = {"ban": "Ban", "suspend": "Suspend until", "premoderate": "Premoderate", "trust": "Trust",
                 CLEAR: "Clear standing"}  # fmt: skip


@router.get("/authors/{author}")
def author_page(author: str, request: Request, community: str = DEFAULT_COMMUNITY,
                      error: str = "") -> HTMLResponse:  # fmt: skip
    caller = user(request)
    author = author[:255]
    with runtime(request).sessions() as session:
        history = author_history(session, author, limit=50)
        rows = [(c, highlighted(c.text, c.spans, c.scores())) for c in history["recent"]]
        entries = audit.entries(session, author=author, limit=50)
        return page(
            request, "author.html", caller, author=author, history=history, rows=rows,
            standings=standings_of(session, author), record=records(session, [author]).get(author, (0, 0)),
            community=community[:128], actions=ACTION_LABELS, entries=entries, error=error[:200],
        )  # fmt: skip


@router.post("/authors/{author}")
async def author_action(
    author: str,
    request: Request,
    action: Annotated[str, Form(max_length=16)],
    community: Annotated[str, Form(min_length=1, max_length=128)] = DEFAULT_COMMUNITY,
    reason: Annotated[str, Form(max_length=2000)] = "",
    until: Annotated[str, Form(max_length=32)] = "",
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    caller = user(request)
    author = author[:255]
    back = f"/authors/{_quote(author)}?community={_quote(community)}"
    if not csrf_valid(request, csrf_token_field):
        return RedirectResponse(back + "&error=The+form+expired%3B+try+again.", status_code=303)
    end = _until(until)

    def apply() -> None:
        with runtime(request).sessions.begin() as session:
            set_standing(session, community, author, action, caller.username, reason or None, end)

    try:
        await run_in_threadpool(apply)
    except AuthorError as exc:
        return RedirectResponse(f"{back}&error={_quote(str(exc))}", status_code=303)
    return RedirectResponse(back, status_code=303)


def _until(value: str) -> datetime | None:
    """The form's local datetime-local value; app.js sends it converted to UTC with a zone."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _quote(value: str) -> str:
    return quote(value, safe="")
