"""Mastodon's admin webhooks: `POST /integrations/mastodon/webhook`.

Mastodon 4.x (Administration > Webhooks; mastodon/mastodon app/workers/webhooks/delivery_worker.rb)
POSTs `{"event", "created_at", "object"}` with `X-Hub-Signature: sha256=<hex>`, the HMAC-SHA256 under the
webhook's secret of exactly the bytes it sends: the raw body, no timestamp (with a payload template, the
rendered template; it must stay blank for this endpoint). The object is serialized by
REST::Admin::WebhookEventSerializer: a REST Status for status.created / status.updated (sent for local
statuses only, app/models/status.rb), a REST::Admin::Report for report.created. Mastodon retries a 5xx
or a timeout, not a 4xx. We verify the signature against every configured secret in constant time, then:

- status.created / status.updated: score the status's visible text (spoiler text, then the HTML content
  reduced to text) with its thread's context, store it, and, when the policy says review or reject and
  an API URL and token are set, file a report on the status through Mastodon's `POST /api/v1/reports`
  after the answer has gone (a slow or unreachable Mastodon never delays it or fails it);
- report.created: score and store the reported statuses (the report exists already: nothing is filed);
- any other event (account.*, report.updated): 200 `{"ignored": …}`, so that Mastodon does not retry.

Threads. Mastodon's Status entity names the parent (`in_reply_to_id`) but not the conversation, and its
ids are unique across the instance, so a status joins the thread that already holds it (an edit, a
retried delivery) or its parent; a reply whose parent threadguard never saw starts a thread keyed by the
parent's id (its siblings join it); a top-level status starts a thread keyed by its own id. Thread ids
are `<host>:<status id>` (two instances' ids may meet). Source "mastodon", community "Mastodon:<the
instance's host>", author the account's `acct`. An edit is stored as a new comment `<id>@<edited_at>`,
so every version is judged once and a retry stores nothing twice.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.background import BackgroundTasks

from threadguard.ingest.html_text import html_to_text
from threadguard.server.errors import ApiError, validation_message
from threadguard.server.runtime import Runtime, runtime
from threadguard.server.settings import Settings
from threadguard.server.signatures import signed_body
from threadguard.service.ingestion import store_in_context
from threadguard.service.perspective import MAX_COMMENT_BYTES
from threadguard.service.validation import LenientBody
from threadguard.store import audit
from threadguard.store.comments import thread_comment, thread_of_comment
from threadguard.thread.model import Comment

log = logging.getLogger("threadguard.service")

MAX_BODY = 1024 * 1024  # a report.created event carries every reported status with its account
SIGNATURE_HEADER = "x-hub-signature"
SOURCE = "mastodon"
ACTOR = "mastodon"
STATUS_EVENTS = ("status.created", "status.updated")
REPORT_EVENT = "report.created"
REPORT_TIMEOUT = 10.0  # seconds; the call runs after the webhook's answer has been sent
MAX_REPORT_COMMENT = 1000  # Mastodon's limit on a report's comment

router = APIRouter(tags=["Mastodon"])


class MastodonAccount(LenientBody):
    id: str
    acct: str
    uri: str | None = None


class MastodonStatus(LenientBody):
    """REST::StatusSerializer's Status, the fields we read."""

    id: str
    uri: str
    url: str | None = None
    content: str = ""
    spoiler_text: str = ""
    in_reply_to_id: str | None = None
    account: MastodonAccount
    created_at: str | None = None
    edited_at: str | None = None
    reblog: dict[str, Any] | None = None


class AdminAccount(LenientBody):
    id: str
    domain: str | None = None  # None: an account of this instance
    account: MastodonAccount | None = None


class AdminReport(LenientBody):
    """REST::Admin::ReportSerializer's Admin::Report, the fields we read."""

    id: str
    account: AdminAccount | None = None  # who reported
    target_account: AdminAccount
    statuses: list[MastodonStatus] = Field(default_factory=list)


class WebhookEvent(LenientBody):
    event: str
    created_at: str | None = None
    object: dict[str, Any] | None = None  # read for the events we handle only


Action = Literal["approve", "review", "reject"]  # the policy's actions


class StatusVerdict(BaseModel):
    status_id: str
    action: Action
    reasons: list[str]
    stored: bool  # False: this version was stored before (a retried delivery)
    # queued: a report is being filed on Mastodon; not_configured: one would be, but no API URL or
    # token is set; None: none is needed (approved, a retry, or a report.created event)
    report: Literal["queued", "not_configured"] | None = None


class WebhookAnswer(BaseModel):
    event: str
    statuses: list[StatusVerdict]
    ignored: str | None = None  # why nothing was scored (an event we do not act on, no text)


@dataclass(frozen=True)
class Filing:
    """A report to file on Mastodon: the status, its account and why."""

    account_id: str
    status_id: str
    comment: str
    thread_id: int  # where the status is stored, under `version`: the audit entry points at it
    version: str


@router.post(
    "/integrations/mastodon/webhook",
    response_model=WebhookAnswer,
)
async def mastodon_webhook(request: Request) -> Response:
    """Score the statuses of a Mastodon admin webhook (signed with X-Hub-Signature)."""
    rt = runtime(request)
    off = (
        "Mastodon webhooks are off: set THREADGUARD_MASTODON_WEBHOOK_SECRETS "
        "or start the server with --mastodon-secret"
    )
    raw = await signed_body(request, rt.settings.mastodon_secrets, SIGNATURE_HEADER, MAX_BODY, off)
    try:
        body = WebhookEvent.model_validate_json(raw)
        if body.event not in (*STATUS_EVENTS, REPORT_EVENT):
            return answer(WebhookAnswer(event=body.event, statuses=[], ignored="event not acted on"))
        if body.object is None:
            raise ApiError(400, "Invalid request: object: Field required")
        if body.event in STATUS_EVENTS:
            statuses = [MastodonStatus.model_validate(body.object)]
            instance = host_of(statuses[0].uri)
        else:
            report = AdminReport.model_validate(body.object)
            statuses, instance = report.statuses, report_instance(report)
    except ValidationError as exc:
        raise ApiError(400, validation_message(exc.errors())) from None
    texts = [(status, status_text(status)) for status in statuses if status.reblog is None]
    for _status, text in texts:
        if len(text.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
            raise ApiError(400, f"status longer than {MAX_COMMENT_BYTES} bytes")
    texts = [(status, text) for status, text in texts if text.strip()]
    if not texts:  # a boost, a status of media only, a report on no status
        return answer(WebhookAnswer(event=body.event, statuses=[], ignored="no text to score"))
    if instance is None:
        raise ApiError(400, "Invalid request: object: no status or account uri names the instance")
    community = f"Mastodon:{instance}"[:128]
    report_back = body.event in STATUS_EVENTS
    # scoring and the database: off the loop, one request at a time (Runtime.writer says why)
    verdicts, filings = await rt.on_writer(moderate, rt, texts, instance, community, report_back)
    tasks = BackgroundTasks()
    for filing in filings:
        tasks.add_task(file_report, rt, filing)  # after the answer is sent, in the thread pool
    return answer(WebhookAnswer(event=body.event, statuses=verdicts), tasks)


def answer(body: WebhookAnswer, tasks: BackgroundTasks | None = None) -> Response:
    return Response(body.model_dump_json(exclude_none=True), media_type="application/json", background=tasks)


def host_of(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def report_instance(report: AdminReport) -> str | None:
    """The instance a report was made on: the host of whichever of reporter and reported account is
    local (a forwarded report's target is local), else of the first reported status."""
    for who in (report.account, report.target_account):
        local = who.account if who is not None and who.domain is None else None
        if local is not None and (host := host_of(local.uri)):
            return host
    return host_of(report.statuses[0].uri) if report.statuses else None


def status_text(status: MastodonStatus) -> str:
    """What a reader sees: the content warning, then the content's visible text (Mastodon's content is
    HTML, handled as comments:analyze handles `comment.type: HTML`)."""
    body = html_to_text(status.content)
    spoiler = status.spoiler_text.strip()
    return f"{spoiler}\n\n{body}" if spoiler else body


def moderate(
    rt: Runtime, texts: list[tuple[MastodonStatus, str]], instance: str, community: str, report_back: bool
) -> tuple[list[StatusVerdict], list[Filing]]:
    """Score and store each status in its thread; the reports to file for those the policy flags."""
    settings = rt.settings
    can_report = bool(settings.mastodon_api_url and settings.mastodon_api_token)
    verdicts, filings = [], []
    for status, text in texts:
        version = (f"{status.id}@{status.edited_at}" if status.edited_at else status.id)[:255]
        comment = Comment(
            version, status.in_reply_to_id, text, author=status.account.acct[:255],
            created=status.edited_at or status.created_at,
        )  # fmt: skip
        thread_id = thread_root(rt, instance, community, status)
        stored, decision = store_in_context(rt, comment, SOURCE, thread_id, status.url, community, ACTOR)
        verdict = StatusVerdict(
            status_id=status.id,
            action=cast(Action, decision.action),
            reasons=decision.reasons,
            stored=stored.new > 0,
        )
        if report_back and verdict.stored and decision.action != "approve":
            verdict.report = "queued" if can_report else "not_configured"
            if can_report:
                why = f"threadguard: {decision.action} ({'; '.join(decision.reasons) or 'policy'})"
                filings.append(
                    Filing(status.account.id, status.id, why[:MAX_REPORT_COMMENT], stored.thread_id, version)
                )
        verdicts.append(verdict)
    return verdicts, filings


def thread_root(rt: Runtime, instance: str, community: str, status: MastodonStatus) -> str:
    """The id that keys the status's thread: that of the stored thread holding the status itself or
    its parent, else `<host>:` and the parent's id, else the status's own (see the module docstring)."""
    with rt.sessions() as session:
        for known in (status.id, status.in_reply_to_id):
            if known is not None:
                row = thread_of_comment(session, SOURCE, community, known)
                if row is not None and row.external_id is not None:
                    return row.external_id
    return f"{instance}:{status.in_reply_to_id or status.id}"[:255]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: urllib would send the bearer token on to wherever it points."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirects)


def report_request(settings: Settings, filing: Filing) -> urllib.request.Request:
    """Mastodon's `POST /api/v1/reports` (docs.joinmastodon.org/methods/reports): form data, the user
    token's account files it. Category `other`: `violation` needs rule_ids[] of the instance's rules."""
    form = [
        ("account_id", filing.account_id), ("status_ids[]", filing.status_id),
        ("comment", filing.comment), ("category", "other"), ("forward", "false"),
    ]  # fmt: skip
    return urllib.request.Request(
        f"{(settings.mastodon_api_url or '').rstrip('/')}/api/v1/reports",
        data=urlencode(form).encode(),
        headers={
            "Authorization": f"Bearer {settings.mastodon_api_token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "User-Agent": "threadguard",
        },
        method="POST",
    )


def file_report(rt: Runtime, filing: Filing) -> None:
    """File the report; whatever Mastodon answers, or fails to, is logged and audited
    (`mastodon_report`, detail.ok), never raised: the webhook has been answered already."""
    detail: dict[str, Any] = {"status_id": filing.status_id, "account_id": filing.account_id}
    try:
        with OPENER.open(report_request(rt.settings, filing), timeout=REPORT_TIMEOUT) as response:
            answer = json.loads(response.read() or b"{}")
        detail.update(ok=True, report_id=str(answer.get("id")) if isinstance(answer, dict) else None)
    except urllib.error.HTTPError as exc:  # Mastodon's errors are {"error": "<why>"}
        detail.update(ok=False, error=f"HTTP {exc.code}: {mastodon_error(exc)}"[:300])
    except (OSError, ValueError) as exc:  # unreachable, timed out, a bad URL, an answer that is not JSON
        detail.update(ok=False, error=f"{type(exc).__name__}: {exc}"[:300])
    if not detail["ok"]:
        log.warning("Mastodon report on status %s failed: %s", filing.status_id, detail["error"])
    try:
        with rt.sessions.begin() as session:
            row = thread_comment(session, filing.thread_id, filing.version)
            audit.record(session, ACTOR, "mastodon_report", comment_id=row.id if row else None, detail=detail)
    except Exception:  # the database is down: the log line above is all that is left
        log.exception("could not audit the Mastodon report on status %s", filing.status_id)


def mastodon_error(exc: urllib.error.HTTPError) -> str:
    """The `error` of Mastodon's JSON error body, else the HTTP reason."""
    try:
        body = json.loads(exc.read(4096) or b"{}")
    except (OSError, ValueError):
        body = None
    message = body.get("error") if isinstance(body, dict) else None
    return str(message) if message else str(exc.reason)
