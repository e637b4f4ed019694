"""Who is calling and what they may do: an API key (`?key=` as Perspective clients send it, or a
header) limited to its scopes, or a logged-in moderator's server-side session, which must also carry a
CSRF token for anything that changes state. A moderator (key or login) never gets the admin scope."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import Request

from threadguard.server.errors import ApiError
from threadguard.server.runtime import runtime
from threadguard.store.schema import SCOPES
from threadguard.store.users import ROLE_SCOPES, end_session, start_session, user_for_key, user_for_session

KEY_HEADERS = ("x-goog-api-key", "x-api-key")
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class Caller:
    username: str
    role: str
    api_key_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Caller("anonymous", "client", scopes=frozenset({"analyze"}))


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
    """The key's owner; raises Google's errors for an invalid key."""
    key = api_key_of(request)
    if key is None:
        return None
    with runtime(request).sessions.begin() as session:
        found = user_for_key(session, key)
    if found is None:
        raise ApiError(400, "API key not valid. Please pass a valid API key.", "API_KEY_INVALID")
    return Caller(found.username, found.role, found.key_id, found.scopes)


def check_scope(caller: Caller, scope: str) -> None:
    if not caller.may(scope):
        what = "this API key" if caller.api_key_id is not None else f"a {caller.role}"
        raise ApiError(403, f"{what} lacks the {scope!r} scope", "PERMISSION_DENIED")


def perspective_caller(request: Request) -> Caller:
    """Dependency of the Perspective routes: a valid key with the analyze scope, unless the server runs
    without keys. A plain function, so FastAPI runs it in the thread pool: the key lookup (and its
    once-a-minute last-use write) never blocks the event loop."""
    caller = caller_from_key(request)
    if caller is None:
        if runtime(request).settings.require_api_key:
            raise ApiError(403, "The request is missing a valid API key.", "API_KEY_MISSING")
        caller = ANONYMOUS
    check_scope(caller, "analyze")
    return caller


def session_caller(request: Request) -> Caller | None:
    """The logged-in account, checked against the server-side session on every request, so that
    logout and a password change end it at once."""
    token = request.session.get("sid")
    if not isinstance(token, str):
        return None
    with runtime(request).sessions() as session:
        owner = user_for_session(session, token)
    if owner is None:
        return None
    return Caller(owner.username, owner.role, scopes=ROLE_SCOPES.get(owner.role, frozenset()))


def native_caller(request: Request) -> Caller:
    """An API key, or a session plus the CSRF header for changes."""
    caller = caller_from_key(request)
    if caller is not None:
        return caller
    caller = session_caller(request)
    if caller is None:
        raise ApiError(401, "log in or pass an API key (?key= or the X-API-Key header)")
    if request.method not in SAFE_METHODS and not csrf_valid(request, request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "missing or wrong CSRF token (X-CSRF-Token header)")
    return caller


def requires(scope: str) -> Callable[[Request], Caller]:
    """Dependency of a /api/v1 route: the caller, who must hold `scope` (see SCOPES)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request) -> Caller:
        caller = native_caller(request)
        check_scope(caller, scope)
        return caller

    dependency.__name__ = f"requires_{scope}"
    return dependency


def log_in(request: Request, user_id: int) -> None:
    """Start a server-side session for `user_id` in a fresh cookie (no fixation)."""
    with runtime(request).sessions.begin() as session:
        token = start_session(session, user_id, SESSION_LIFETIME)
    request.session.clear()
    request.session["sid"] = token


def log_out(request: Request) -> None:
    token = request.session.get("sid")
    if isinstance(token, str):
        with runtime(request).sessions.begin() as session:
            end_session(session, token)
    request.session.clear()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(request: Request, token: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and token) and hmac.compare_digest(str(expected), str(token))
