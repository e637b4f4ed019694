"""Server cost of one Coral External Moderation Phase request, in process: N sequential signed requests
through the real ASGI app (httpx over ASGITransport, no sockets), on a fresh SQLite database.

    python bench/bench_coral_phase.py [--requests 200] [--warmup 20] [--tier auto] [--profile FILE] [--rate R]

Prints the per-request time (mean, p50, p95) and the SQL statements each request runs, with the
requests the auto tier sent to the encoder. What bench_server.py measures under load is this cost
times the rate, plus queueing; this isolates the cost. Nothing is written under reports/.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import Executor, Future
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from bench_server import CORAL_SECRET, coral_comments, coral_phase_call  # noqa: E402

URL = "/integrations/coral/moderation"


def phase_bodies(texts: list[str]) -> list[tuple[bytes, dict[str, str]]]:
    """The bodies and headers bench_server.py sends: 25 stories, 200 authors, pretty-printed, signed."""
    out = []
    for i, text in enumerate(texts):
        body, signature = coral_phase_call(i, text)
        headers = {"Content-Type": "application/json", "User-Agent": "Coral Moderation/9.11.0",
                   "X-Coral-Signature": signature}  # fmt: skip
        out.append((body, headers))
    return out


async def run(
    app: object, requests: list[tuple[bytes, dict[str, str]]], rate: float | None = None
) -> list[float]:
    """Each request's time in ms: one after another, or with `rate`, sent on a fixed schedule whatever
    the app does (open loop, timed from each request's due time, so queueing in the app shows)."""
    import httpx

    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    times: list[float] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://threadguard") as client:

        async def send(body: bytes, headers: dict[str, str], due: float) -> None:
            response = await client.post(URL, content=body, headers=headers)
            times.append((time.perf_counter() - due) * 1000)
            if response.status_code not in (200, 204):
                raise SystemExit(f"{response.status_code}: {response.text[:300]}")

        if rate is None:
            for body, headers in requests:
                await send(body, headers, time.perf_counter())
            return times
        start, tasks = time.perf_counter(), []
        for i, (body, headers) in enumerate(requests):
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(send(body, headers, due)))
        await asyncio.gather(*tasks)
    return times


class Inline(Executor):
    """Runs the app's threadpool work on the calling thread, so that cProfile sees it."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--tier", default="auto")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured requests here")
    parser.add_argument("--rate", type=float, help="open loop at this many requests/s (the client shares "
                        "the process, and its GIL, with the app)")  # fmt: skip
    args = parser.parse_args()

    from sqlalchemy import event

    from threadguard.app import create_app
    from threadguard.server.settings import Settings

    texts = coral_comments(args.warmup + args.requests)
    requests = phase_bodies(texts)
    with tempfile.TemporaryDirectory(prefix="threadguard-phase-") as folder:
        settings = Settings(db_url=f"sqlite:///{Path(folder) / 'phase.db'}", tier=args.tier,
                            coral_signing_secrets=CORAL_SECRET)  # fmt: skip
        app = create_app(settings)
        rt = app.state.runtime
        statements = [0]
        event.listen(
            rt.engine, "before_cursor_execute", lambda *_a, **_k: statements.__setitem__(0, statements[0] + 1)
        )
        accurate = [0]
        scorer = rt.scorer.scorer
        original = scorer._logits_and_tiers

        def counted(*a, **k):  # type: ignore[no-untyped-def]
            logits, tiers = original(*a, **k)
            accurate[0] += tiers.count("accurate")
            return logits, tiers

        scorer._logits_and_tiers = counted
        asyncio.run(run(app, requests[: args.warmup]))
        statements[0] = accurate[0] = 0
        profiler = cProfile.Profile() if args.profile else None
        if profiler:  # cProfile sees one thread only: run the threadpool's work on the loop's thread
            rt.writer = Inline()  # type: ignore[assignment]
            profiler.enable()
        cpu = time.process_time()
        times = asyncio.run(run(app, requests[args.warmup :], args.rate))
        cpu = time.process_time() - cpu
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        rt.engine.dispose()
    times.sort()
    n = len(times)
    how = f"open loop at {args.rate:g}/s" if args.rate else "sequential"
    print(f"tier {args.tier}, {n} {how} phase requests after {args.warmup} warm-up, load {os.getloadavg()}")
    print(f"per request: mean {statistics.fmean(times):.2f} ms  p50 {times[n // 2]:.2f} ms  "
          f"p95 {times[int(n * 0.95)]:.2f} ms  p99 {times[int(n * 0.99)]:.2f} ms  "
          f"max {times[-1]:.2f} ms")  # fmt: skip
    print(f"process CPU per request (app and in-process client, all threads): {cpu / n * 1000:.2f} ms")
    print(f"SQL statements per request: {statements[0] / n:.2f}; scored by the encoder: {accurate[0]} of {n}")


if __name__ == "__main__":
    main()
