"""Pages of the moderator app. Decisions go through /api/v1/decisions (session + CSRF header), so the
web app and API clients share one audited path."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from threadguard.attributes import ATTRIBUTES
from threadguard.server.auth import Caller, csrf_token, csrf_valid, log_in, log_out, session_caller
from threadguard.server.runtime import Runtime, runtime
from threadguard.server.throttle import BUSY_RETRY_S, ChecksBusy
from threadguard.store import audit, stats
from threadguard.store.users import authenticate
from threadguard.thread.model import label
from threadguard.web.api_docs import operations, schemas
from threadguard.web.charts import COLOURS, flagged_chart, volume_chart
from threadguard.web.format import ago, excerpt, local_time, mark, plural

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
LINK_SCHEMES = ("http", "https")


def http_link(url: str | None) -> str | None:
    """The URL if it may be a link (http or https), else None: `javascript:` and `data:` URLs from an
    export are shown as text, never as a link (the CSP would stop them too; this does not rely on it)."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in LINK_SCHEMES else None


templates.env.filters["http_link"] = http_link
templates.env.filters.update(
    local_time=local_time, plural=plural, excerpt=excerpt, mark=mark, label=label, ago=ago
)
router = APIRouter(include_in_schema=False)
# Pages that read the database are plain functions: FastAPI runs them in its thread pool, off the event loop.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """The page needs a logged-in moderator."""


def install(app: FastAPI) -> None:
    # the page modules import this one for page() and user(): included here, once it is loaded
    from threadguard.web import authors, comment, ingest, queue, words

    app.include_router(router)
    for module in (queue, comment, authors, words, ingest):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def user(request: Request) -> Caller:
    caller = session_caller(request)
    if caller is None:
        raise LoginRequired()
    return caller


def page(
    request: Request,
    name: str,
    caller: Caller | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    values.update(
        request=request, user=caller, csrf=csrf_token(request), attributes=ATTRIBUTES, colours=COLOURS
    )
    return templates.TemplateResponse(
        request, name, values, status_code=status_code, headers=SECURITY_HEADERS | (headers or {})
    )


MAX_OFFSET = 10**9


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
async def login_form(request: Request, next: str = "/queue") -> HTMLResponse:
    return page(request, "login.html", None, next=safe_next(next), error=None)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token_field: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    if not csrf_valid(request, csrf_token_field):
        return page(request, "login.html", None, next=safe_next(next), error="The form expired; try again.")
    rt = runtime(request)
    keys = (f"ip:{request.client.host if request.client else '?'}", f"user:{username.casefold()}")
    wait = rt.login_throttle.retry_after(*keys)
    if wait:
        message = f"Too many failed logins; try again in {wait} seconds."
        return page(
            request, "login.html", None, 429, {"Retry-After": str(wait)}, next=safe_next(next), error=message
        )
    # argon2 and the database block: off the event loop, one check at a time, at low CPU priority
    try:
        user_id = await rt.login_throttle.run_check(_check_login, rt, username, password)
    except ChecksBusy:
        message = f"The server is busy; try again in {BUSY_RETRY_S} seconds."
        return page(request, "login.html", None, 429, {"Retry-After": str(BUSY_RETRY_S)},
                    next=safe_next(next), error=message)  # fmt: skip
    if user_id is None:
        rt.login_throttle.failed(*keys)
        return page(request, "login.html", None, next=safe_next(next), error="Wrong user name or password.")
    rt.login_throttle.succeeded(keys[1])
    await run_in_threadpool(log_in, request, user_id)
    return RedirectResponse(safe_next(next), status_code=303)


def _check_login(rt: Runtime, username: str, password: str) -> int | None:
    """The user's id when the password is right; every attempt is audited, failed ones too."""
    with rt.sessions.begin() as session:
        found = authenticate(session, username, password)
        audit.record(session, found.username if found else username, "login" if found else "login_failed")
        return found.id if found else None


@router.post("/logout")
async def logout(
    request: Request, csrf_token_field: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    if csrf_valid(request, csrf_token_field):
        await run_in_threadpool(log_out, request)  # ends the server-side session: the cookie is dead
    return RedirectResponse("/login", status_code=303)


def safe_next(target: str) -> str:
    """Only local paths: no open redirect to another site."""
    return (
        target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/queue"
    )


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers ask for /favicon.ico on every page; answer with the app's icon, not a 404."""
    return Response((HERE / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                    headers={"Cache-Control": "max-age=86400"})  # fmt: skip


@router.get("/audit")
def audit_page(request: Request, actor: str = "", action: str = "", offset: int = 0) -> HTMLResponse:
    caller = user(request)
    if not caller.is_admin:
        return HTMLResponse("the audit view needs the admin role", status_code=403, headers=SECURITY_HEADERS)
    offset = min(max(offset, 0), MAX_OFFSET)  # a huge offset overflows the database's integer
    with runtime(request).sessions() as session:
        entries = audit.entries(session, actor=actor or None, action=action or None, limit=200, offset=offset)
        return page(request, "audit.html", caller, entries=entries, actor=actor, action=action, offset=offset)


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, public like /openapi.json."""
    spec = request.app.openapi()
    return page(request, "api_docs.html", session_caller(request), spec=spec, ops=operations(spec),
                schemas=schemas(spec))  # fmt: skip


@router.get("/stats")
def stats_page(request: Request, community: str = "") -> HTMLResponse:
    caller = user(request)
    rt = runtime(request)
    with rt.sessions() as session:
        thresholds = rt.scorer.scorer.thresholds_for(community or None)
        daily = stats.daily(session, thresholds, community=community or None)
        totals = stats.totals(session)
    return page(
        request, "stats.html", caller, daily=daily, totals=totals, community=community,
        volume_svg=volume_chart(daily), flagged_svg=flagged_chart(daily),
    )  # fmt: skip
