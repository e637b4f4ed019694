"""threadguard's own API under /api/v1: batch scoring, ingest, the moderation queue, decisions,
author history, statistics and the audit log. Callers use an API key or a moderator session."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from threadguard.attributes import ATTRIBUTES
from threadguard.ingest import FORMATS, UnknownFormatError
from threadguard.server.auth import Caller, check_scope, requires
from threadguard.server.errors import ApiError
from threadguard.server.runtime import runtime
from threadguard.service.ingestion import UnreadableUploadError, ingest_file, store_thread
from threadguard.service.perspective import DEFAULT_COMMUNITY, MAX_COMMENT_BYTES
from threadguard.service.validation import RequestBody
from threadguard.store import audit, stats
from threadguard.store.authors import AuthorError, set_standing, standings_of
from threadguard.store.comments import (
    QueueFilters,
    add_api_comment,
    author_history,
    get_comment,
    get_thread,
    parent_of,
    queue,
)
from threadguard.store.decisions import DecisionError, RequestIdReusedError, decide
from threadguard.store.moderation import decide_new
from threadguard.store.schema import STATUSES, AuditEntry, AuthorStanding, CommentRow
from threadguard.thread.context import Context
from threadguard.thread.model import Comment
from threadguard.thread.tree import make_thread

router = APIRouter(prefix="/api/v1", tags=["threadguard API"])
# What each route needs (see threadguard.store.schema.SCOPES); a moderator never holds "admin".
Analyst = Annotated[Caller, Depends(requires("analyze"))]
Ingester = Annotated[Caller, Depends(requires("ingest"))]
Moderator = Annotated[Caller, Depends(requires("moderate"))]
Admin = Annotated[Caller, Depends(requires("admin"))]
MAX_BATCH = 1000
MAX_UPLOAD = 512 * 1024 * 1024
Text = Annotated[str, Field(min_length=1, max_length=MAX_COMMENT_BYTES)]


class BatchComment(RequestBody):
    id: str | int | None = None
    text: Text
    article: str | None = Field(None, max_length=100_000)
    parent: str | None = Field(None, max_length=MAX_COMMENT_BYTES)


class BatchRequest(RequestBody):
    comments: list[BatchComment] = Field(..., min_length=1, max_length=MAX_BATCH)
    store: bool = Field(False, description="Also put the comments in the moderation store.")
    community: str = Field(DEFAULT_COMMUNITY, max_length=128)


class ThreadComment(RequestBody):
    id: str = Field(..., min_length=1, max_length=255)
    parent_id: str | None = Field(None, max_length=255)
    text: str = Field(..., max_length=MAX_COMMENT_BYTES)
    author: str | None = Field(None, max_length=255)
    created: str | None = Field(None, max_length=64)


class ThreadRequest(RequestBody):
    source: str = Field("api", min_length=1, max_length=32)
    id: str | None = Field(None, max_length=255)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    article: str | None = Field(None, max_length=100_000)
    community: str = Field(DEFAULT_COMMUNITY, max_length=128)
    comments: list[ThreadComment] = Field(..., min_length=1, max_length=10_000)


class DecisionRequest(RequestBody):
    comment_ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(..., min_length=1, max_length=500)
    action: Literal["approve", "reject", "escalate", "reopen", "report", "undo"]
    reason: str | None = Field(None, max_length=2000)
    request_id: str | None = Field(
        None, min_length=8, max_length=40, description="Retries with the same id are applied once."
    )


class SpanOut(BaseModel):
    begin: int = Field(..., description="UTF-16 code units from the start of the text.")
    end: int
    score: float = Field(..., description="How much the probability drops without this span.")


class PolicyOut(BaseModel):
    action: str = Field(..., description="approve, review or reject")
    reasons: list[str]


class ScoredComment(BaseModel):
    """The engine's JSON line (see the README) plus the policy's action."""

    id: str | int | None
    attributes: dict[str, float]
    targets: dict[str, float]
    spans: dict[str, list[SpanOut]]
    flagged: bool
    language: str
    model: str
    tier: str
    context_effect: dict[str, float] | None = Field(
        None, description="Present when the context moved a score."
    )
    warnings: list[str] | None = Field(None, description="Present when something was repaired or cut.")
    policy: PolicyOut


class AnalyzeResponse(BaseModel):
    results: list[ScoredComment]


class ThreadIngested(BaseModel):
    thread_id: int
    comments_new: int
    comments_existing: int
    warnings: dict[str, int]


class IngestResponse(BaseModel):
    threads: int
    comments_new: int
    comments_existing: int
    thread_ids: list[int] = Field(..., description="The first 1,000.")
    report: dict[str, Any] = Field(..., description="What was read, repaired and skipped.")


class StoredComment(BaseModel):
    id: int
    thread_id: int | None
    external_id: str | None
    parent_id: str | None
    origin: str
    community: str
    author: str | None
    text: str
    depth: int
    flags: list[Any]
    posted_at: str | None
    attributes: dict[str, float]
    targets: dict[str, Any]
    spans: dict[str, Any]
    context_effect: dict[str, Any]
    language: str
    model: str
    risk: float
    policy_action: str
    policy_reasons: list[Any]
    status: str
    decided_by: str | None
    decided_at: str | None

    @classmethod
    def from_row(cls, c: CommentRow) -> StoredComment:
        return cls(
            id=c.id, thread_id=c.thread_id, external_id=c.external_id, parent_id=c.parent_external_id,
            origin=c.origin, community=c.community, author=c.author, text=c.text, depth=c.depth,
            flags=c.flags, posted_at=iso(c.posted_at), attributes=c.scores(), targets=c.targets,
            spans=c.spans, context_effect=c.context_effect, language=c.language, model=c.model_version,
            risk=c.risk, policy_action=c.policy_action, policy_reasons=c.policy_reasons, status=c.status,
            decided_by=c.decided_by, decided_at=iso(c.decided_at),
        )  # fmt: skip


class QueueResponse(BaseModel):
    comments: list[StoredComment]


class AuditOut(BaseModel):
    id: int
    at: str | None
    actor: str
    action: str
    comment_id: int | None
    reason: str | None
    detail: dict[str, Any] | None

    @classmethod
    def from_row(cls, e: AuditEntry) -> AuditOut:
        return cls(id=e.id, at=iso(e.at), actor=e.actor, action=e.action, comment_id=e.comment_id,
                   reason=e.reason, detail=e.detail)  # fmt: skip


class ThreadOut(BaseModel):
    id: int
    title: str | None
    url: str | None
    article: str | None


class CommentDetail(StoredComment):
    parent: StoredComment | None
    thread: ThreadOut | None
    audit: list[AuditOut]


class CommentStatus(BaseModel):
    id: int
    status: str


class DecisionResponse(BaseModel):
    applied: bool = Field(..., description="False when this request_id was applied before.")
    comments: list[CommentStatus]


class StandingOut(BaseModel):
    community: str
    status: str
    until: str | None
    reason: str | None
    set_by: str
    set_at: str | None

    @classmethod
    def from_row(cls, s: AuthorStanding) -> StandingOut:
        return cls(community=s.community, status=s.status, until=iso(s.until), reason=s.reason,
                   set_by=s.set_by, set_at=iso(s.set_at))  # fmt: skip


class AuthorHistory(BaseModel):
    author: str
    total: int
    by_status: dict[str, int]
    recent: list[StoredComment]
    standings: list[StandingOut]


class StandingResponse(BaseModel):
    author: str
    community: str
    standing: StandingOut | None = Field(..., description="None after `clear`.")


class StatsResponse(BaseModel):
    totals: dict[str, int]
    daily: list[dict[str, Any]]


class AuditResponse(BaseModel):
    entries: list[AuditOut]


class StandingRequest(RequestBody):
    community: str = Field(DEFAULT_COMMUNITY, min_length=1, max_length=128)
    action: Literal["ban", "suspend", "premoderate", "trust", "clear"]
    reason: str | None = Field(None, max_length=2000)
    until: datetime | None = Field(None, description="The end of a suspension (required for suspend).")


@router.post("/analyze", response_model_exclude_unset=True)
def analyze_batch(body: BatchRequest, request: Request, caller: Analyst) -> AnalyzeResponse:
    """Score up to 1,000 comments, each optionally with its article and parent; the engine's line format
    plus the policy's action for `community`. `store` needs the ingest scope."""
    if body.store:
        check_scope(caller, "ingest")
    rt = runtime(request)
    contexts = [Context(article=c.article, parent=c.parent) for c in body.comments]
    results = rt.scorer.score([c.text for c in body.comments], contexts, community=body.community)
    items = [(c.text, None, r) for c, r in zip(body.comments, results, strict=True)]
    with rt.sessions.begin() as session:
        decisions = decide_new(session, rt.policy, body.community, items)
        if body.store:
            for comment, result, decision in zip(body.comments, results, decisions, strict=True):
                add_api_comment(session, comment.text, result, decision, body.community)
    return AnalyzeResponse(
        results=[
            ScoredComment(
                **result.to_line(comment.id),
                policy=PolicyOut(action=decision.action, reasons=decision.reasons),
            )
            for comment, result, decision in zip(body.comments, results, decisions, strict=True)
        ]
    )


@router.post("/threads")
def ingest_thread_json(body: ThreadRequest, request: Request, caller: Ingester) -> ThreadIngested:
    """Store one thread given as JSON; comments already stored (same thread, same id) are skipped."""
    comments = [Comment(c.id, c.parent_id, c.text, author=c.author, created=c.created) for c in body.comments]
    thread = make_thread(
        body.source, comments, id=body.id, url=body.url, title=body.title, article=body.article
    )
    stored = store_thread(runtime(request), thread, body.community, caller.username, f"api#{body.id}")
    return ThreadIngested(
        thread_id=stored.thread_id, comments_new=stored.new, comments_existing=stored.existing,
        warnings=dict(thread.warnings),
    )  # fmt: skip


@router.post("/ingest")
async def ingest_export(
    request: Request,
    caller: Ingester,
    file: Annotated[UploadFile, File(description="An export file, gzip allowed.")],
    format: Annotated[str, Form(description=f"auto or one of: {', '.join(FORMATS)}")] = "auto",
    community: Annotated[str, Form(max_length=128)] = DEFAULT_COMMUNITY,
) -> IngestResponse:
    """Ingest an export file in any format threadguard reads. Threads commit one by one: after a crash,
    sending the same file again stores exactly what is missing."""
    if format != "auto" and format not in FORMATS:
        raise ApiError(400, f"unknown format {format[:40]!r}; auto or one of: {', '.join(FORMATS)}")
    name = Path(file.filename or "upload").name[:200]
    with tempfile.TemporaryDirectory(prefix="threadguard-ingest-") as folder:
        path = Path(folder) / (name or "upload")
        with path.open("wb") as out:
            await run_in_threadpool(shutil.copyfileobj, file.file, out)
        if path.stat().st_size > MAX_UPLOAD:
            raise ApiError(413, f"the file is larger than {MAX_UPLOAD // 2**20} MiB")
        try:
            result = await run_in_threadpool(
                ingest_file, runtime(request), path, format, community, caller.username, name
            )
        except (UnknownFormatError, UnreadableUploadError) as exc:
            raise ApiError(400, str(exc)) from None
    return IngestResponse(**result.as_dict())


@router.get("/queue")
def moderation_queue(
    request: Request,
    caller: Moderator,
    status: Annotated[list[Literal[STATUSES]] | None, Query()] = None,  # type: ignore[valid-type]
    attribute: Annotated[Literal[ATTRIBUTES] | None, Query()] = None,  # type: ignore[valid-type]
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.0,
    community: Annotated[str | None, Query(max_length=128)] = None,
    thread_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    author: Annotated[str | None, Query(max_length=255)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> QueueResponse:
    """Comments awaiting a decision (pending and escalated unless `status` says otherwise), riskiest
    first, or by one attribute's score when `attribute` is given."""
    filters = QueueFilters(
        statuses=status or ("pending", "escalated"), attribute=attribute, min_score=min_score,
        community=community, thread_id=thread_id, author=author, since=since, until=until, limit=limit,
        offset=offset,
    )  # fmt: skip
    with runtime(request).sessions() as session:
        return QueueResponse(comments=[StoredComment.from_row(c) for c in queue(session, filters)])


@router.get("/comments/{comment_id}")
def comment_detail(comment_id: int, request: Request, caller: Moderator) -> CommentDetail:
    """One comment with its scores, spans, parent, thread and audit trail."""
    with runtime(request).sessions() as session:
        comment = get_comment(session, comment_id) if 0 < comment_id < 2**62 else None
        if comment is None:
            raise ApiError(404, f"no comment {comment_id}")
        parent = parent_of(session, comment)
        thread = get_thread(session, comment.thread_id)
        return CommentDetail(
            **StoredComment.from_row(comment).model_dump(),
            parent=StoredComment.from_row(parent) if parent else None,
            thread=ThreadOut(id=thread.id, title=thread.title, url=thread.url, article=thread.article)
            if thread else None,
            audit=[AuditOut.from_row(e) for e in audit.entries(session, comment_id=comment.id)],
        )  # fmt: skip


@router.post("/decisions")
def record_decision(body: DecisionRequest, request: Request, caller: Moderator) -> DecisionResponse:
    """Approve, reject, escalate (or, for admins, reopen) comments; all or none, each audited.
    Send a `request_id` to make retries safe: the same id is applied once."""
    if body.action == "reopen":
        check_scope(caller, "admin")
    for attempt in range(2):
        with runtime(request).sessions() as session:
            try:
                rows, applied = decide(
                    session, body.comment_ids, body.action, caller.username, body.reason, body.request_id
                )
                session.commit()
            except RequestIdReusedError as exc:
                raise ApiError(409, str(exc)) from None
            except DecisionError as exc:
                raise ApiError(404 if str(exc).startswith("no comments") else 400, str(exc)) from None
            except IntegrityError:  # the same request_id committed by a concurrent request: look again
                if attempt or body.request_id is None:
                    raise
                continue
            return DecisionResponse(
                applied=applied, comments=[CommentStatus(id=r.id, status=r.status) for r in rows]
            )
    raise AssertionError("unreachable")


@router.get("/authors/{author}")
def author(author: str, request: Request, caller: Moderator) -> AuthorHistory:
    """How an author's comments were decided, and the latest ones."""
    with runtime(request).sessions() as session:
        history = author_history(session, author[:255])
        recent = [StoredComment.from_row(c) for c in history.pop("recent")]
        standings = [StandingOut.from_row(s) for s in standings_of(session, author[:255])]
        return AuthorHistory(**history, recent=recent, standings=standings)


@router.post("/authors/{author}/standing")
def author_standing(
    author: Annotated[str, PathParam(max_length=255)],
    body: StandingRequest,
    request: Request,
    caller: Moderator,
) -> StandingResponse:
    """Ban, suspend (until a time), premoderate, trust or clear an author in a community; audited.
    The policy applies it to the author's next comments."""
    with runtime(request).sessions.begin() as session:
        try:
            row = set_standing(session, body.community, author, body.action, caller.username, body.reason,
                               body.until)  # fmt: skip
        except AuthorError as exc:
            raise ApiError(400, str(exc)) from None
        return StandingResponse(
            author=author, community=body.community, standing=StandingOut.from_row(row) if row else None
        )


@router.get("/stats")
def statistics(
    request: Request,
    caller: Moderator,
    since: datetime | None = None,
    community: Annotated[str | None, Query(max_length=128)] = None,
) -> StatsResponse:
    """Comments per state, and per day: volume and the share flagged for each attribute."""
    rt = runtime(request)
    with rt.sessions() as session:
        daily = stats.daily(session, rt.scorer.scorer.thresholds_for(community), since, community)
        return StatsResponse(totals=stats.totals(session), daily=daily)


@router.get("/audit")
def audit_log(
    request: Request,
    caller: Admin,
    comment_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> AuditResponse:
    """The audit log, newest first."""
    with runtime(request).sessions() as session:
        entries = audit.entries(session, comment_id, actor, action, limit, offset)
        return AuditResponse(entries=[AuditOut.from_row(e) for e in entries])


def iso(value: datetime | None) -> str | None:
    """Times as ISO 8601 UTC; SQLite returns them without their zone."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
