"""OpenAI's moderation API, `POST /v1/moderations`, so that code written for it (the official `openai`
client, LangChain's OpenAI moderation middleware) runs unchanged against threadguard.

OpenAI's 13 categories are built from our attributes by CATEGORIES, the one mapping table (docs/
integrations.md shows it). A category we cannot score is still present, with score 0, never flagged,
and no input types it applies to. A category is flagged the way our own `flagged` is: by the scoring
tier's flag threshold of its attributes, so `flagged` here is exactly the engine's `flagged`.
Errors come in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from threadguard.scores import CommentScore
from threadguard.server.auth import Caller, perspective_caller
from threadguard.server.errors import ApiError, validation_message
from threadguard.server.runtime import runtime
from threadguard.service.perspective import MAX_COMMENT_BYTES
from threadguard.service.validation import RequestBody

MAX_INPUTS = 1000  # texts per request, as the native batch endpoint allows


@dataclass(frozen=True)
class Category:
    """One OpenAI category from our attributes. `all_of=False`: the highest of them, flagged when any
    reaches its flag threshold; `all_of=True`: the lowest, flagged only when every one does (a hateful
    threat is both an identity attack and a threat). No attributes: we cannot score it."""

    attributes: tuple[str, ...] = ()
    all_of: bool = False

    @property
    def scored(self) -> bool:
        return bool(self.attributes)


CATEGORIES: dict[str, Category] = {
    "harassment": Category(("TOXICITY", "SEVERE_TOXICITY", "INSULT")),
    "harassment/threatening": Category(("THREAT",)),
    "hate": Category(("IDENTITY_ATTACK",)),
    "hate/threatening": Category(("IDENTITY_ATTACK", "THREAT"), all_of=True),
    "illicit": Category(),
    "illicit/violent": Category(),
    "self-harm": Category(),
    "self-harm/intent": Category(),
    "self-harm/instructions": Category(),
    "sexual": Category(("SEXUALLY_EXPLICIT",)),
    "sexual/minors": Category(),
    "violence": Category(("THREAT",)),
    "violence/graphic": Category(),
}


class OpenAIError(Exception):
    """An error answered in OpenAI's shape."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code

    def response(self) -> JSONResponse:
        kind = "authentication_error" if self.status == 401 else "invalid_request_error"
        error = {"message": self.message, "type": kind, "param": self.param, "code": self.code}
        return JSONResponse({"error": error}, status_code=self.status)


class OpenAIRoute(APIRoute):
    """Routes whose every error (validation, key, our own) is answered in OpenAI's shape, which the
    `openai` client turns into its typed exceptions; the rest of the app keeps Google's shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def openai_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except OpenAIError as exc:
                return exc.response()
            except RequestValidationError as exc:
                return OpenAIError(400, validation_message(exc.errors()), "input").response()
            except ApiError as exc:
                types = {detail.get("errorType") for detail in exc.details}
                if types & {"API_KEY_INVALID", "API_KEY_MISSING"}:  # OpenAI answers 401 for both
                    return OpenAIError(401, exc.message, code="invalid_api_key").response()
                return OpenAIError(exc.code, exc.message).response()

        return openai_errors


router = APIRouter(tags=["OpenAI-compatible moderation"], route_class=OpenAIRoute)


class TextPart(RequestBody):
    model_config = ConfigDict(extra="ignore")
    type: Literal["text"]
    text: str


class ImagePart(RequestBody):
    """Accepted so that the answer can say clearly that images are not scored."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["image_url"]
    image_url: dict[str, Any] | None = None


Part = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class ModerationRequest(RequestBody):
    model_config = ConfigDict(extra="ignore")
    input: str | list[str] | list[Part] = Field(
        ..., description="A string, a list of strings, or a list of {type: text, text} parts."
    )
    model: str | None = Field(None, description="Accepted and ignored: threadguard's model scores.")


class ModerationResult(BaseModel):
    flagged: bool
    categories: dict[str, bool]
    category_scores: dict[str, float]
    category_applied_input_types: dict[str, list[Literal["text"]]]


class ModerationResponse(BaseModel):
    id: str
    model: str = Field(..., description="The threadguard model version that scored.")
    results: list[ModerationResult]


CallerDep = Annotated[Caller, Depends(perspective_caller)]


@router.post("/v1/moderations", response_model=ModerationResponse)
async def moderations(body: ModerationRequest, request: Request, caller: CallerDep) -> ModerationResponse:
    """Classify each input, as OpenAI's moderation endpoint does (one result per input, in order)."""
    rt = runtime(request)
    texts = input_texts(body.input)
    results = await run_in_threadpool(rt.scorer.score, texts, [None] * len(texts), False)  # off the loop
    thresholds = rt.scorer.scorer.thresholds_for(None)  # OpenAI has no community
    return ModerationResponse(
        id=f"modr-{uuid.uuid4().hex}",
        model=rt.scorer.version,
        results=[moderation_result(result, thresholds) for result in results],
    )


def input_texts(value: str | list[str] | list[TextPart | ImagePart]) -> list[str]:
    """The texts to score; an image part, an empty list or an oversized text is a 400."""
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise OpenAIError(400, "input must not be empty", "input")
    if len(items) > MAX_INPUTS:
        raise OpenAIError(400, f"at most {MAX_INPUTS} inputs per request", "input")
    texts = []
    for index, item in enumerate(items):
        if isinstance(item, ImagePart):
            raise OpenAIError(
                400, "image inputs are not supported: threadguard scores text only; send text parts",
                f"input[{index}]", "image_input_not_supported",
            )  # fmt: skip
        text = item if isinstance(item, str) else item.text
        if len(text.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
            raise OpenAIError(
                400, f"input[{index}] is longer than {MAX_COMMENT_BYTES} bytes", f"input[{index}]"
            )
        texts.append(text)
    return texts


def moderation_result(result: CommentScore, thresholds: Mapping[str, float]) -> ModerationResult:
    """OpenAI's result for one scored text, category by category from CATEGORIES."""
    flags: dict[str, bool] = {}
    scores: dict[str, float] = {}
    applied: dict[str, list[Literal["text"]]] = {}
    for name, category in CATEGORIES.items():
        values = [result.attributes[a] for a in category.attributes]
        hits = [result.attributes[a] >= thresholds[a] for a in category.attributes]
        scores[name] = round((min(values) if category.all_of else max(values)) if values else 0.0, 6)
        flags[name] = (all(hits) if category.all_of else any(hits)) if hits else False
        applied[name] = ["text"] if category.scored else []
    return ModerationResult(
        flagged=result.flagged, categories=flags, category_scores=scores, category_applied_input_types=applied
    )
