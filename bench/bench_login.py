"""Does a password-guessing client slow everyone else down? `comments:analyze` latency at a fixed
offered rate, idle and while N clients loop on wrong passwords at /login.

    python bench/bench_login.py [--loops 8] [--rate 50] [--seconds 10]

Starts `threadguard serve` (one worker) on a fresh SQLite database, measures analyze latency in an
open loop (latency from each request's due time, as bench_server.py does), then measures it again while
`--loops` asyncio clients, each from its own loopback address, fetch the login form and post a wrong
password for a new user name, back to back. argon2 runs in a worker thread, one check at a time, and
the per-address throttle answers 429 after five failures; the goal is analyze p99 under attack within
2x of idle. Writes reports/bench_login.md and reports/bench_login.json.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import (
    REPO,
    comments,
    free_port,
    machine,
    open_loop,
    prepare_database,
    requests_for,
    start_server,
    table,
)

GOAL_RATIO = 2.0


async def bad_logins(base: str, stop: asyncio.Event, statuses: Counter[int], address: str) -> None:
    """Loop from one source address: fetch the login form (session and CSRF token), post a wrong
    password for a new user name each time (so only the per-address throttle can stop it)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=base, timeout=30, transport=transport) as client:
        for attempt in itertools.count():
            if stop.is_set():
                return
            user = f"guess-{address}-{attempt}"
            form = await client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            answer = await client.post(
                "/login",
                data={
                    "username": user,
                    "password": "not-the-password",
                    "csrf_token": token.group(1) if token else "",
                },
            )
            statuses[answer.status_code] += 1


async def under_attack(
    port: int, payloads: list[bytes], rate: float, seconds: float, loops: int
) -> dict[str, Any]:
    stop, statuses = asyncio.Event(), Counter[int]()
    base = f"http://127.0.0.1:{port}"
    attackers = [
        asyncio.create_task(bad_logins(base, stop, statuses, f"127.0.0.{2 + i}")) for i in range(loops)
    ]
    await asyncio.sleep(1.0)  # the loops are running before measuring starts
    measured = await open_loop(port, payloads, rate, seconds)
    stop.set()
    await asyncio.gather(*attackers, return_exceptions=True)
    return {**measured, "login_answers": dict(sorted(statuses.items()))}


def write_report(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_login.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    idle, loaded = result["idle"], result["under_attack"]
    ratio = loaded["p99_ms"] / idle["p99_ms"] if idle["p99_ms"] else float("inf")
    rows = [{"run": "idle", **idle}, {"run": f"{result['loops']} bad-login loops", **loaded}]
    columns = ["run", "offered_rps", "achieved_rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors"]
    verdict = "met" if ratio <= GOAL_RATIO and not loaded["errors"] else "MISSED"
    lines = [
        "# Login abuse against scoring latency", "",
        f"Command: `{result['command']}`  ·  {result['started']}", "",
        f"Server: `threadguard serve --workers 1`, fresh SQLite; model `{result['model']}`.",
        f"`comments:analyze` (doNotStore) offered at {result['rate']} requests/s for {result['seconds']} s, "
        f"idle and while {result['loops']} clients post wrong passwords back to back.", "",
        f"Machine: {result['machine']['cpus']} CPUs; load average before "
        f"{result['machine']['load_average']}, after {result['load_after']} (shared machine).", "",
        table(rows, columns), "",
        f"Answers to the bad logins: {loaded['login_answers']} (429 = throttled, 200 = the form again).", "",
        f"p99 under attack / idle: **{ratio:.2f}x** (goal ≤ {GOAL_RATIO}x): {verdict}.", "",
    ]  # fmt: skip
    (out / "bench_login.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loops", type=int, default=8, help="concurrent wrong-password clients")
    parser.add_argument("--rate", type=float, default=50.0, help="analyze requests/s offered")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each measurement")
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    args = parser.parse_args()
    texts = comments(300)
    with tempfile.TemporaryDirectory(prefix="threadguard-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        key = prepare_database(url)
        port = free_port()
        load_before = machine()
        # plain-HTTP cookies, so that the login form's CSRF check passes and each post reaches argon2
        server = start_server(url, port, 1, Path(folder) / "server.log", extra=("--no-secure-cookies",))
        try:
            payloads = requests_for(texts, key, store=False)
            asyncio.run(open_loop(port, payloads, args.rate, 2.0))  # warm-up
            idle = asyncio.run(open_loop(port, payloads, args.rate, args.seconds))
            loaded = asyncio.run(under_attack(port, payloads, args.rate, args.seconds, args.loops))
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    from threadguard.thread.context import ContextScorer

    result = {
        "command": " ".join(["python", "bench/bench_login.py", *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "loops": args.loops,
        "rate": args.rate, "seconds": args.seconds, "machine": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()], "model": ContextScorer.load().version,
        "idle": idle, "under_attack": loaded,
    }  # fmt: skip
    write_report(result, args.out)
    print((args.out / "bench_login.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
