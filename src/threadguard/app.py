"""The FastAPI application: the APIs (threadguard.service), the moderator web app (threadguard.web) and
what they share (threadguard.server), assembled in one process. The only module that imports all three.

app = create_app(Settings(db_url="sqlite:///threadguard.db"))
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from threadguard.policy import Policy
from threadguard.server import errors
from threadguard.server.runtime import Runtime
from threadguard.server.settings import Settings
from threadguard.service import coral, discovery, mastodon, moderations, native, perspective
from threadguard.store.database import make_engine, session_factory, upgrade
from threadguard.thread.context import ContextScorer
from threadguard.web import routes as web

log = logging.getLogger("threadguard.service")


def create_app(settings: Settings | None = None, scorer: ContextScorer | None = None) -> FastAPI:
    """A ready app: the database migrated (unless settings.migrate is off), model and policy loaded.
    Pass `scorer` to share one loaded model between several apps (tests)."""
    settings = settings or Settings()
    engine = make_engine(settings.db_url)
    if settings.migrate:
        upgrade(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load Swagger UI from a CDN; the web app serves /docs itself
        redoc_url=None,
        title="threadguard",
        version="1",
        description="Perspective-compatible comment scoring, moderation queue and audit log.",
    )
    app.state.runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        scorer=scorer
        or ContextScorer.load(
            settings.model_path, tier=settings.tier, encoder_threads=settings.encoder_threads
        ),
        policy=Policy.load(settings.policy_path),
    )
    errors.install(app)
    app.include_router(perspective.router)
    app.include_router(native.router)
    app.include_router(moderations.router)
    app.include_router(coral.router)
    app.include_router(mastodon.router)
    app.include_router(discovery.router)
    web.install(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="threadguard_session",
        max_age=12 * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(JsonBodyMiddleware)

    @app.get("/healthz", tags=["service"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "model": app.state.runtime.scorer.version}

    return app


def app_from_env() -> FastAPI:
    """The factory each uvicorn worker calls (`threadguard serve --workers N`)."""
    return create_app(Settings.from_env())


class JsonBodyMiddleware:
    """Read Perspective request bodies as JSON whatever Content-Type says, as Google's endpoint does
    (`curl -d` sends application/x-www-form-urlencoded)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1alpha1/"):
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            scope = {**scope, "headers": [*headers, (b"content-type", b"application/json")]}
        await self.app(scope, receive, send)
