"""Word lists per community, for admins: banned words reject a comment, suspect words send it to
review, matched after evasion normalisation (policy/words.py). The policy file's lists are shown too,
read-only: they change with the file."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from threadguard.policy import DEFAULT_COMMUNITY
from threadguard.policy.words import KINDS
from threadguard.server.auth import csrf_valid
from threadguard.server.runtime import runtime
from threadguard.store import words
from threadguard.web.routes import SECURITY_HEADERS, page, user

router = APIRouter(include_in_schema=False)
ADMIN_ONLY = "word lists need the admin role"


@router.get("/words")
def words_page(request: Request, error: str = "") -> HTMLResponse:
    caller = user(request)
    if not caller.is_admin:
        return HTMLResponse(ADMIN_ONLY, status_code=403, headers=SECURITY_HEADERS)
    policy = runtime(request).policy
    from_file = [("default", policy.default), *sorted(policy.communities.items())]
    with runtime(request).sessions() as session:
        return page(request, "words.html", caller, entries=words.entries(session), kinds=KINDS,
                    from_file=from_file, default_community=DEFAULT_COMMUNITY, error=error[:200])  # fmt: skip


@router.post("/words")
async def words_change(
    request: Request,
    word: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=16)] = "banned",
    community: Annotated[str, Form(max_length=128)] = DEFAULT_COMMUNITY,
    remove: Annotated[int, Form(ge=0, le=2**62)] = 0,
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    caller = user(request)
    if not caller.is_admin:
        return HTMLResponse(ADMIN_ONLY, status_code=403, headers=SECURITY_HEADERS)
    if not csrf_valid(request, csrf_token_field):
        return RedirectResponse("/words?error=The+form+expired%3B+try+again.", status_code=303)

    def apply() -> None:
        with runtime(request).sessions.begin() as session:
            if remove:
                words.remove(session, remove, caller.username)
            else:
                words.add(session, community.strip() or DEFAULT_COMMUNITY, kind, word, caller.username)

    try:
        await run_in_threadpool(apply)
    except words.WordError as exc:
        return RedirectResponse(f"/words?error={quote(str(exc), safe='')}", status_code=303)
    return RedirectResponse("/words", status_code=303)
