"""Who is calling: an API key (`?key=` as Perspective clients send it, or a header) or a logged-in
moderator's session cookie, which must also carry a CSRF token for anything that changes state."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request

from threadguard.service.errors import ApiError
from threadguard.service.runtime import runtime
from threadguard.store.users import get_user, user_for_key

KEY_HEADERS = ("x-goog-api-key", "x-api-key")
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Caller:
    username: str
    role: str
    api_key_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


ANONYMOUS = Caller("anonymous", "client")


def api_key_of(request: Request) -> str | None:
    """`?key=`, a key header, or `Authorization: Bearer <key>` (how OpenAI-style clients send it)."""
    key = request.query_params.get("key")
    if key:
        return key
    for header in KEY_HEADERS:
        if request.headers.get(header):
            return request.headers[header]
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def caller_from_key(request: Request) -> Caller | None:
    """The key's owner; raises Google's errors for a missing or invalid key when keys are required."""
    key = api_key_of(request)
    if key is None:
        return None
    with runtime(request).sessions() as session:
        found = user_for_key(session, key)
    if found is None:
        raise ApiError(400, "API key not valid. Please pass a valid API key.", "API_KEY_INVALID")
    return Caller(found.username, found.role, found.key_id)


async def perspective_caller(request: Request) -> Caller:
    """Dependency of the Perspective routes: a valid key, unless the server runs without keys.
    Async on purpose: FastAPI would run a plain function in a thread pool, which costs more than the
    indexed key lookup it does."""
    caller = caller_from_key(request)
    if caller is not None:
        return caller
    if runtime(request).settings.require_api_key:
        raise ApiError(403, "The request is missing a valid API key.", "API_KEY_MISSING")
    return ANONYMOUS


def session_caller(request: Request) -> Caller | None:
    user_id = request.session.get("uid")
    if user_id is None:
        return None
    with runtime(request).sessions() as session:
        user = get_user(session, user_id)
    return Caller(user.username, user.role) if user else None


def native_caller(request: Request) -> Caller:
    """Dependency of /api/v1: an API key, or a session plus the CSRF header for changes."""
    caller = caller_from_key(request)
    if caller is not None:
        return caller
    caller = session_caller(request)
    if caller is None:
        raise ApiError(401, "log in or pass an API key (?key= or the X-API-Key header)")
    if request.method not in SAFE_METHODS and not csrf_valid(request, request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "missing or wrong CSRF token (X-CSRF-Token header)")
    return caller


def require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ApiError(403, "this needs the admin role")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(request: Request, token: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and token) and hmac.compare_digest(str(expected), str(token))
