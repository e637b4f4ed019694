"""Upload an export from the app. The page only shows the form and the report: the upload goes to
/api/v1/ingest (the API's own code path, with the session's CSRF header), and app.js shows its
progress and the ingest report (threads, comments new and already stored, repairs)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from threadguard.ingest import FORMATS
from threadguard.policy import DEFAULT_COMMUNITY
from threadguard.thread.model import LABELS
from threadguard.web.routes import page, user

router = APIRouter(include_in_schema=False)


@router.get("/ingest")
def ingest_page(request: Request) -> HTMLResponse:
    return page(
        request, "ingest.html", user(request), formats=FORMATS, community=DEFAULT_COMMUNITY, labels=LABELS
    )
