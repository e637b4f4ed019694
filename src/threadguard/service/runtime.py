"""What every request handler shares: settings, the database, the scorer and the policy."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from threadguard.policy import Policy
from threadguard.service.settings import Settings
from threadguard.thread.context import ContextScorer


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    scorer: ContextScorer
    policy: Policy


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
