"""The Perspective API v1alpha1, request for request: `comments:analyze` and `comments:suggestscore`.

The Pydantic models below are the contract (they are what /docs shows); the field names are
Perspective's own, camelCase included, because clients send and read exactly these names.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from threadguard.attributes import ATTRIBUTES
from threadguard.ingest.html_text import html_to_text
from threadguard.scorer import SUPPORTED_LANGUAGES
from threadguard.scores import CommentScore
from threadguard.server.auth import Caller, perspective_caller
from threadguard.server.errors import ApiError
from threadguard.server.runtime import Runtime, runtime
from threadguard.service.validation import RequestBody
from threadguard.store.comments import add_api_comment
from threadguard.store.feedback import add_feedback
from threadguard.store.moderation import decide_new
from threadguard.text.language import UNDETERMINED, Detection
from threadguard.text.utf16 import utf16_length
from threadguard.thread.context import Context

MAX_COMMENT_BYTES = 20 * 1024  # Perspective's limit, in UTF-8 bytes
DEFAULT_COMMUNITY = "default"
# A detected language refuses a comment only this sure, on this many letters: see check_detected_language.
REFUSE_MIN_CONFIDENCE = 0.9
REFUSE_MIN_LETTERS = 40

router = APIRouter(prefix="/v1alpha1", tags=["Perspective API v1alpha1"])


class Lenient(RequestBody):
    """Unknown fields are ignored, so that clients written for newer Perspective versions still work."""

    model_config = ConfigDict(extra="ignore")


class TextEntry(Lenient):
    text: str | None = Field(None, description="The text; at most 20 KB of UTF-8.")
    type: Literal["PLAIN_TEXT", "HTML"] = Field(
        "PLAIN_TEXT", description="HTML is reduced to its visible text, which is what gets scored."
    )


class ArticleAndParentComment(Lenient):
    article: TextEntry | None = None
    parentComment: TextEntry | None = None


class RequestContext(Lenient):
    entries: list[TextEntry] | None = Field(
        None, description="Earlier entries are read as the article, the last one as the parent comment."
    )
    articleAndParentComment: ArticleAndParentComment | None = None


class AttributeParameters(Lenient):
    scoreType: Literal["PROBABILITY"] = "PROBABILITY"
    scoreThreshold: float | None = Field(
        None, ge=0, le=1, description="An attribute whose summary score is below this is left out."
    )


class AnalyzeRequest(Lenient):
    comment: TextEntry
    context: RequestContext | None = None
    requestedAttributes: dict[str, AttributeParameters | None] = Field(
        ..., description=f"Attribute names to score, any of {', '.join(ATTRIBUTES)}."
    )
    languages: list[str] | None = Field(None, description="ISO 639-1 codes; empty or absent: detected.")
    spanAnnotations: bool = Field(False, description="Per-span scores instead of one whole-comment span.")
    doNotStore: bool = Field(False, description="Nothing of the request is kept, not even in logs.")
    clientToken: str | None = Field(None, description="Echoed in the response.")
    sessionId: str | None = None
    communityId: str | None = Field(None, description="Selects the moderation policy of that community.")


class Score(BaseModel):
    value: float
    type: Literal["PROBABILITY"] = "PROBABILITY"


class SpanScore(BaseModel):
    begin: int = Field(..., description="UTF-16 code units from the start of the text.")
    end: int = Field(..., description="Exclusive, in UTF-16 code units.")
    score: Score


class AttributeScore(BaseModel):
    summaryScore: Score
    spanScores: list[SpanScore]


class AnalyzeResponse(BaseModel):
    attributeScores: dict[str, AttributeScore]
    languages: list[str]
    detectedLanguages: list[str]
    clientToken: str | None = None


class SuggestedScore(Lenient):
    summaryScore: Score


class SuggestScoreRequest(Lenient):
    comment: TextEntry
    context: RequestContext | None = None
    attributeScores: dict[str, SuggestedScore] = Field(
        ..., description="The scores the client says are true."
    )
    languages: list[str] | None = None
    communityId: str | None = None
    clientToken: str | None = None
    sessionId: str | None = None


class SuggestScoreResponse(BaseModel):
    detectedLanguages: list[str]
    requestedLanguages: list[str]
    clientToken: str | None = None


CallerDep = Annotated[Caller, Depends(perspective_caller)]


@router.post("/comments:analyze", response_model=AnalyzeResponse)
async def analyze(body: AnalyzeRequest, request: Request, caller: CallerDep) -> JSONResponse:
    """Score a comment for the requested attributes, as Perspective does."""
    rt = runtime(request)
    text = comment_text(body.comment)
    attributes = check_attributes(body.requestedAttributes)
    lenient = rt.settings.score_unsupported_languages
    requested = requested_languages(body.languages, attributes, lenient)
    if not lenient:
        check_detected_language(rt.scorer.scorer.languages.detect([text])[0], requested, attributes)
    context = request_context(body.context)
    # spans cost most of the accurate tier's time: only when asked for, or kept for the moderator app
    spans = bool(body.spanAnnotations) or not body.doNotStore
    (result,) = await run_in_threadpool(rt.scorer.score, [text], [context], spans)  # off the event loop
    response = analyze_response(body, text, result, attributes, requested)
    if not body.doNotStore:  # the database: one write at a time per process (Runtime.writer says why)
        await rt.on_writer(store_analyzed, rt, text, result, body.communityId)
    return JSONResponse(response)


@router.post("/comments:suggestscore", response_model=SuggestScoreResponse)
def suggest_score(body: SuggestScoreRequest, request: Request, caller: CallerDep) -> SuggestScoreResponse:
    """Keep the client's scores for a comment as a labelled example for retraining. A plain function:
    FastAPI runs it in the thread pool, so language detection and the database never block the loop."""
    rt = runtime(request)
    text = comment_text(body.comment)
    scores = {}
    for name, suggested in body.attributeScores.items():
        if name not in ATTRIBUTES:
            raise attribute_error(name)
        value = suggested.summaryScore.value
        if not 0 <= value <= 1:
            raise ApiError(400, f"suggested score for {name} must be within [0, 1]")
        scores[name] = value
    if not scores:
        raise ApiError(400, "attributeScores must name at least one attribute")
    requested = [normalise_language(code) for code in body.languages or []]
    detected = [code for code in rt.scorer.scorer.languages.identify([text]) if code != UNDETERMINED]
    coral = coral_feedback_ids(body.context)
    context = None if coral else request_context(body.context)
    with rt.sessions.begin() as session:
        add_feedback(
            session, text, scores,
            context={"coral": coral} if coral else
            {"article": context.article, "parent": context.parent} if context else {},
            languages=requested or detected, community=body.communityId or DEFAULT_COMMUNITY,
            client_token=body.clientToken, api_key_id=caller.api_key_id,
        )  # fmt: skip
    return SuggestScoreResponse(
        detectedLanguages=detected, requestedLanguages=requested, clientToken=body.clientToken
    )


def comment_text(comment: TextEntry) -> str:
    raw = comment.text or ""
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
        raise ApiError(
            400, f"Comment text too long: the limit is {MAX_COMMENT_BYTES} bytes.", "COMMENT_TOO_LONG"
        )
    text = html_to_text(raw) if comment.type == "HTML" else raw
    if not text.strip():
        raise ApiError(400, "Comment must be non-empty.", "COMMENT_EMPTY")
    return text


def attribute_error(name: str) -> ApiError:
    return ApiError(
        400, f"Attribute {name[:64]} is not supported; supported: {', '.join(ATTRIBUTES)}.",
        "ATTRIBUTE_NOT_SUPPORTED", {"attributeNotSupportedError": {"attribute": name[:64]}},
    )  # fmt: skip


def check_attributes(requested: dict[str, AttributeParameters | None]) -> dict[str, AttributeParameters]:
    if not requested:
        raise ApiError(400, "requestedAttributes must name at least one attribute.")
    for name in requested:
        if name not in ATTRIBUTES:
            raise attribute_error(name)
    return {name: params or AttributeParameters() for name, params in requested.items()}


def normalise_language(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def language_error(attributes: dict[str, AttributeParameters], languages: list[str]) -> ApiError:
    attribute = next(iter(attributes))
    return ApiError(
        400, f"Attribute {attribute} does not support request languages: {','.join(languages)[:100]}",
        "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        {"languageNotSupportedByAttributeError": {"detectedLanguages": languages[:10],
                                                  "attribute": attribute}},
    )  # fmt: skip


def requested_languages(
    languages: list[str] | None, attributes: dict[str, AttributeParameters], lenient: bool = False
) -> list[str]:
    """The client's languages; at least one must be supported. Empty means: detect. `lenient`
    (Settings.score_unsupported_languages) drops unsupported ones instead, so the comment is scored
    as English and the response's `languages` says so."""
    requested = [normalise_language(code) for code in languages or [] if code.strip()]
    if lenient:
        return [code for code in requested if code in SUPPORTED_LANGUAGES]
    if requested and not any(code in SUPPORTED_LANGUAGES for code in requested):
        raise language_error(attributes, requested)
    return requested


def check_detected_language(
    detection: Detection, requested: list[str], attributes: dict[str, AttributeParameters]
) -> None:
    """Without `languages` from the client, refuse a comment detected in an unsupported language, as
    Perspective does, but only when the detector is sure (REFUSE_MIN_CONFIDENCE) of enough text
    (REFUSE_MIN_LETTERS); otherwise the comment is scored as English and detectedLanguages still says
    what was detected.

    Why: lid.176 misreads short English, "Shoot ’em." is Low German to it (0.79), and a client that
    fails open on the 400 publishes the comment unscored; a wrongly scored foreign comment is the
    smaller harm. Languages the client names are checked by requested_languages, unchanged."""
    language = detection.language
    if requested or language in SUPPORTED_LANGUAGES or language == UNDETERMINED:
        return
    if detection.confidence >= REFUSE_MIN_CONFIDENCE and detection.letters >= REFUSE_MIN_LETTERS:
        raise language_error(attributes, [language])


def request_context(context: RequestContext | None) -> Context | None:
    """Perspective's two context shapes as the scorer's Context (article, parent)."""
    if context is None:
        return None
    pair = context.articleAndParentComment
    if pair is not None:
        article = entry_text(pair.article)
        parent = entry_text(pair.parentComment)
    else:
        texts = [t for t in (entry_text(e) for e in context.entries or []) if t]
        article = "\n".join(texts[:-1]) or None
        parent = texts[-1] if texts else None
    found = Context(article=article, parent=parent)
    return None if found.empty else found


def coral_feedback_ids(context: RequestContext | None) -> dict[str, Any] | None:
    """Coral's feedback puts `{"url", "Coral_comment_id", "reply_to_id_Coral_comment_id"}`, as a JSON
    string, in its only context entry: ids to keep with the label, not a parent comment to read."""
    entries = context.entries if context else None
    if not entries or len(entries) != 1 or not entries[0].text:
        return None
    try:
        found = json.loads(entries[0].text)
    except ValueError:
        return None
    return found if isinstance(found, dict) and "Coral_comment_id" in found else None


def entry_text(entry: TextEntry | None) -> str | None:
    if entry is None or not entry.text:
        return None
    return html_to_text(entry.text) if entry.type == "HTML" else entry.text


def analyze_response(
    body: AnalyzeRequest,
    text: str,
    result: CommentScore,
    attributes: dict[str, AttributeParameters],
    requested: list[str],
) -> dict[str, Any]:
    length = utf16_length(text)
    scores: dict[str, Any] = {}
    for name, params in attributes.items():
        value = result.attributes[name]
        if params.scoreThreshold is not None and value < params.scoreThreshold:
            continue
        spans = result.spans.get(name, []) if body.spanAnnotations else []
        span_scores = [
            {"begin": s.begin, "end": s.end, "score": {"value": s.score, "type": "PROBABILITY"}}
            for s in spans
        ] or [{"begin": 0, "end": length, "score": {"value": value, "type": "PROBABILITY"}}]
        scores[name] = {"spanScores": span_scores, "summaryScore": {"value": value, "type": "PROBABILITY"}}
    detected = [result.language] if result.language != UNDETERMINED else []
    scored_as = [code for code in detected if code in SUPPORTED_LANGUAGES]  # see check_detected_language
    response: dict[str, Any] = {
        "attributeScores": scores,
        "languages": requested or scored_as or ["en"],
        "detectedLanguages": detected,
    }
    if body.clientToken is not None:
        response["clientToken"] = body.clientToken
    return response


def store_analyzed(rt: Runtime, text: str, result: CommentScore, community: str | None) -> None:
    """Keep the comment in the moderation store, where the community's policy sorts it (with its word
    lists, as for every other way in)."""
    community = community or DEFAULT_COMMUNITY
    with rt.sessions.begin() as session:
        (decision,) = decide_new(session, rt.policy, community, [(text, None, result)])
        add_api_comment(session, text, result, decision, community)
