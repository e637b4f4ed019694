"""Errors in Google's JSON shape, which Perspective clients parse:
{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("threadguard.service")

GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
ERROR_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


class ApiError(Exception):
    """An error answered in Google's shape. `error_type` is Perspective's errorType
    (COMMENT_EMPTY, ATTRIBUTE_NOT_SUPPORTED, ...), sent in `details`."""

    def __init__(
        self, code: int, message: str, error_type: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: list[dict[str, Any]] = []
        if error_type:
            self.details.append({"@type": ERROR_TYPE, "errorType": error_type, **(extra or {})})


def error_body(code: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": GOOGLE_STATUS.get(code, "UNKNOWN")}
    if details:
        error["details"] = details
    return {"error": error}


def install(app: FastAPI) -> None:
    """Answer every API error in Google's shape. Messages never quote the comment text."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(400, validation_message(exc.errors())), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return JSONResponse(
            error_body(exc.status_code, message), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> JSONResponse:
        # reached only by an error outside InternalErrorMiddleware (in another middleware)
        log_internal_error(exc)
        return JSONResponse(error_body(500, "internal error"), status_code=500)

    app.add_middleware(InternalErrorMiddleware)


def log_internal_error(exc: BaseException) -> None:
    """The exception's type and where it was raised; no message: it could quote a comment."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f" at {frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else ""
    log.error("internal error: %s%s", type(exc).__name__, where)


class InternalErrorMiddleware:
    """An exception the app did not handle becomes a JSON 500 in Google's shape, and that is the end of
    it. (Starlette's handler for Exception sends its response and then re-raises, and uvicorn closes a
    connection whose app raised: a keep-alive client's next request failed, without `Connection: close`.)
    After the response has started there is nothing to answer with: the exception goes on, and the
    server drops the half-sent response's connection, as it must."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            log_internal_error(exc)
            response = JSONResponse(error_body(500, "internal error"), status_code=500)
            await response(scope, receive, send)


def validation_message(errors: Any) -> str:
    """Pydantic's errors as one line that names the fields, without echoing the input values."""
    parts = []
    for error in list(errors)[:5]:
        if error.get("type") == "json_invalid":
            return "Invalid JSON payload received."
        location = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{location or 'body'}: {error.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts)
