"""Coral Talk's External Moderation Phase: `POST /integrations/coral/moderation`.

Coral (coralproject/talk, server/src/core/server/services/comments/pipeline/phases/external.ts) POSTs
each new or edited comment, pretty-printed JSON signed with the phase's secret in `X-Coral-Signature:
sha256=<hex HMAC-SHA256 of the raw body>` (several, comma-separated, while a secret is rotated). We
verify the signature against every configured secret, score the comment with its thread context,
store it, and answer with the policy's action in Coral's own enums; Coral drops an answer holding any
value outside them, so the response models below admit nothing else.

The policy's action becomes Coral's answer:
- approve: 204, no decision (Coral's own phases go on deciding);
- review: 200, status SYSTEM_WITHHELD (held for a moderator) with a COMMENT_DETECTED_TOXIC flag;
- reject: 200, status REJECTED with that flag and moderationAction.rejectionReason.code from
  REJECTION_CODES (the first of the deciding attributes that has one, else OFFENSIVE).

Threads: a story is a thread (source "coral", keyed by the story's id); the community is
"Coral:<tenantDomain>". Coral's request does not carry the new comment's own id, so comments arriving
here are stored under an id made from author, parent and text; a reply's parent is found by Coral's id
when it is in the story's thread (stored through /api/v1/threads or an ingested export with source
"coral" and the story's id), and the reply is then scored with it.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ValidationError

from threadguard.ingest.html_text import html_to_text
from threadguard.policy import Decision
from threadguard.server.errors import ApiError, validation_message
from threadguard.server.runtime import Runtime, runtime
from threadguard.server.signatures import signed_body
from threadguard.service.ingestion import store_in_context
from threadguard.service.perspective import MAX_COMMENT_BYTES
from threadguard.service.validation import LenientBody
from threadguard.thread.model import Comment

CommentStatus = Literal["NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD"]
RejectionCode = Literal["OFFENSIVE", "ABUSIVE", "HATE_SPEECH", "HARASSMENT_BULLYING"]
MAX_BODY = 256 * 1024  # Coral's request is the comment plus a few ids
SIGNATURE_HEADER = "x-coral-signature"
SOURCE = "coral"
ACTOR = "coral"
# Coral's REJECTION_REASON_CODE for the attribute that decided a rejection (first match wins).
REJECTION_CODES: dict[str, RejectionCode] = {
    "IDENTITY_ATTACK": "HATE_SPEECH",
    "THREAT": "ABUSIVE",
    "INSULT": "HARASSMENT_BULLYING",
}
DEFAULT_REJECTION_CODE: RejectionCode = "OFFENSIVE"

router = APIRouter(tags=["Coral Talk"])


class CoralComment(LenientBody):
    body: str
    parentID: str | None = None


class CoralAuthor(LenientBody):
    id: str
    role: str | None = None


class CoralStory(LenientBody):
    id: str
    url: str | None = None


class CoralSite(LenientBody):
    id: str | None = None


class CoralRequest(LenientBody):
    """ExternalModerationRequest in Coral's external.ts; unknown fields are ignored."""

    action: Literal["NEW", "EDIT"]
    comment: CoralComment
    author: CoralAuthor
    story: CoralStory
    site: CoralSite | None = None
    tenantID: str
    tenantDomain: str


class CoralAction(BaseModel):
    actionType: Literal["FLAG"] = "FLAG"
    reason: Literal["COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM"] = "COMMENT_DETECTED_TOXIC"


class CoralRejectionReason(BaseModel):
    code: RejectionCode


class CoralModerationAction(BaseModel):
    status: CommentStatus
    rejectionReason: CoralRejectionReason | None = None


class CoralResponse(BaseModel):
    """ExternalModerationResponse: only values from Coral's enums."""

    actions: list[CoralAction]
    status: CommentStatus
    tags: list[Literal["FEATURED", "STAFF"]] = []
    moderationAction: CoralModerationAction | None = None


@router.post(
    "/integrations/coral/moderation",
    response_model=CoralResponse,
    responses={204: {"description": "No decision: Coral carries on with its own phases."}},
)
async def coral_moderation(request: Request) -> Response:
    """Moderate a comment for Coral's External Moderation Phase (signed with X-Coral-Signature)."""
    rt = runtime(request)
    off = (
        "Coral external moderation is off: set THREADGUARD_CORAL_SIGNING_SECRETS "
        "or start the server with --coral-secret"
    )
    raw = await signed_body(request, rt.settings.coral_secrets, SIGNATURE_HEADER, MAX_BODY, off)
    try:
        body = CoralRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise ApiError(400, validation_message(exc.errors())) from None
    text = html_to_text(body.comment.body)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
        raise ApiError(400, f"comment longer than {MAX_COMMENT_BYTES} bytes")
    if not text.strip():
        return Response(status_code=204)
    # scoring and the database: off the loop, one request at a time (Runtime.writer says why)
    decision = await rt.on_writer(moderate, rt, body, text)
    answer = coral_answer(decision)
    if answer is None:
        return Response(status_code=204)
    return Response(answer.model_dump_json(exclude_none=True), media_type="application/json")


def moderate(rt: Runtime, body: CoralRequest, text: str) -> Decision:
    """Score the comment in its story's context, store it, and return the policy's decision."""
    community = f"Coral:{body.tenantDomain}"[:128]
    parent_id = body.comment.parentID or None
    comment = Comment(comment_id(body, text), parent_id, text, author=body.author.id[:255])
    _stored, decision = store_in_context(
        rt, comment, SOURCE, body.story.id[:255], body.story.url, community, ACTOR
    )
    return decision


def comment_id(body: CoralRequest, text: str) -> str:
    """An id for a comment Coral sends without one: the same author, parent and text give the same id,
    so a retried request stores nothing twice."""
    key = "\0".join((body.author.id, body.comment.parentID or "", text))
    return f"phase-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:24]}"


def coral_answer(decision: Decision) -> CoralResponse | None:
    """The policy's decision in Coral's enums; None for no decision."""
    if decision.action == "approve":
        return None
    flag = [CoralAction()]
    if decision.action == "review":
        return CoralResponse(actions=flag, status="SYSTEM_WITHHELD")
    deciding = [reason.partition(" ")[0] for reason in decision.reasons]  # "THREAT >= 0.9" -> THREAT
    code: RejectionCode = next(
        (REJECTION_CODES[a] for a in deciding if a in REJECTION_CODES), DEFAULT_REJECTION_CODE
    )
    return CoralResponse(
        actions=flag,
        status="REJECTED",
        moderationAction=CoralModerationAction(
            status="REJECTED", rejectionReason=CoralRejectionReason(code=code)
        ),
    )
