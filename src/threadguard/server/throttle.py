"""Login throttling: too many wrong passwords from one address or for one account answer 429.

Each key (an IP address, an account name) gets `attempts` failures within `window` seconds; past that,
every try is refused until the oldest failure leaves the window, and the answer says when
(`Retry-After`). A success clears the account's count. State is per server process (each uvicorn
worker counts on its own), bounded by `max_keys` (the oldest keys are forgotten first).

Password checks (argon2id, deliberately slow) run through `run_check`: one at a time per process, in a
thread of the lowest CPU priority, so that a login flood from many addresses queues behind itself
instead of taking cores from scoring.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

ATTEMPTS = 5
WINDOW_S = 15 * 60.0
MAX_KEYS = 100_000
MAX_WAITING_CHECKS = 16  # password checks queued per process before new logins are told to come back
BUSY_RETRY_S = 5


class ChecksBusy(Exception):
    """Too many password checks are queued; answer 429 with Retry-After BUSY_RETRY_S."""


class LoginThrottle:
    def __init__(
        self,
        attempts: int = ATTEMPTS,
        window: float = WINDOW_S,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._checker = ThreadPoolExecutor(
            1, thread_name_prefix="password-check", initializer=_lowest_priority
        )
        self._waiting = 0  # only touched on the event loop

    def retry_after(self, *keys: str) -> int:
        """Seconds until any of `keys` may try again; 0 when all may try now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.attempts:
                    wait = max(wait, failures[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                failures.append(now)
                self._failures[key] = failures
                self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    async def run_check(self, check: Callable[..., T], *args: object) -> T:
        """Run a password check off the event loop, after the checks queued before it; raises ChecksBusy
        when MAX_WAITING_CHECKS are already queued (the queue, and each login's wait, stay bounded)."""
        if self._waiting >= MAX_WAITING_CHECKS:
            raise ChecksBusy
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._checker, check, *args)
        finally:
            self._waiting -= 1


def _lowest_priority() -> None:
    """Linux gives each thread its own nice value; elsewhere the check runs at normal priority."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
