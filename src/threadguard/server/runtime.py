"""What every request handler shares: settings, the database, the scorer and the policy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from threadguard.policy import Policy
from threadguard.server.settings import Settings
from threadguard.server.throttle import LoginThrottle
from threadguard.thread.context import ContextScorer

T = TypeVar("T")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scorer: ContextScorer
    policy: Policy
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)
    # Webhooks (Coral's phase, Mastodon) score and store, and stored analyze calls write, on this one
    # thread, in arrival order. Spread over the 40 threads of the shared pool, concurrent requests
    # took turns on the GIL while one of them held SQLite's write lock, and the others slept in
    # SQLite's busy handler: in one process at 80 requests/s, p99 1.7-2.3 s against 0.10-0.12 s here
    # (bench/bench_coral_phase.py --rate 80). A process runs Python on one core whatever its
    # threads; `serve --workers` uses the others.
    writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="threadguard-writer")
    )

    async def on_writer(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` on the writer thread, awaited without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, work, *args)


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
