"""What every request handler shares: settings, the database, the scorer and the policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from threadguard.policy import Policy
from threadguard.server.settings import Settings
from threadguard.server.throttle import LoginThrottle
from threadguard.thread.context import ContextScorer


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scorer: ContextScorer
    policy: Policy
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
