"""Load benchmark of `threadguard serve`: POST /v1alpha1/comments:analyze, one comment per request,
and Coral's two hooks at Coral's rate.

    python bench/bench_server.py [--workers 2] [--step-seconds 5] [--rates 100,250,...] [--do-not-store]
                                 [--coral-rate 50] [--coral-seconds 40] [--phases coral,open,closed]

Starts the server in its own process(es) on a fresh SQLite database, then drives it from this process
over loopback with keep-alive HTTP/1.1 connections (an asyncio client on raw sockets, like wrk):
- an open-loop step per offered rate: requests are sent on a fixed schedule whatever the server does,
  and each latency counts from the moment the request was due (no coordinated omission);
- a closed-loop run: N connections send back to back, which measures the most the server sustains;
- the Coral steps (open loop at --coral-rate): Coral's built-in Perspective call, byte for byte
  (`{"comment":{"text"},"doNotStore":true,"requestedAttributes":{"TOXICITY":{}},"languages":["en"]}`
  to /v1alpha1/comments:analyze?key=), and its External Moderation Phase (pretty-printed Coral JSON,
  signed with X-Coral-Signature, to /integrations/coral/moderation, stored), on the server's default
  tier; goal p99 <= 200 ms at 50 requests/s (issue 13; Coral's phase timeout defaults to 200 ms).
Writes reports/bench_server.md and reports/bench_server.json (machine, load average, every step).
Goal of the analyze steps: >= 1,000 requests/s with p99 <= 50 ms and zero errors on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOAL_RPS, GOAL_P99_MS = 1000, 50.0
CORAL_GOAL_P99_MS = 200.0
CORAL_SECRET = "empsec_" + "5eed" * 8  # the phase's signing secret (Coral's shape), for this run only
PHASES = ("coral", "open", "closed")
CONNECTIONS = 64
REQUEST_TIMEOUT = 10.0

# Ordinary news-comment shapes (the server's cost does not depend on how hostile a text is).
OPENINGS = ["I think", "Honestly,", "As a reader from the north,", "My grandmother always said", "Frankly",
            "With respect,", "Nobody seems to notice that", "The article misses that"]  # fmt: skip
MIDDLES = ["the council should fix the road before winter", "this song was sung at every wedding",
           "the minister has no idea what people pay for bread", "the referee was a disgrace last night",
           "these so-called experts are clueless", "the new tram line will never be finished on time",
           "you are talking complete nonsense", "the budget numbers simply do not add up"]  # fmt: skip
ENDINGS = [".", "!", ", and everyone knows it.", " 🙄", ". Shame on them.", ", but who listens?"]


def comments(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}{rng.choice(ENDINGS)}" for _ in range(n)]


def coral_comments(n: int, seed: int = 1) -> list[str]:
    """One to three sentences each, as comments under a news story run."""
    rng = random.Random(seed)
    return [
        " ".join(f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}{rng.choice(ENDINGS)}"
                 for _ in range(rng.choice((1, 1, 2, 3))))
        for _ in range(n)
    ]  # fmt: skip


def coral_perspective_requests(texts: list[str], key: str) -> list[bytes]:
    """Coral's built-in Perspective call (its `perspective.ts`): this body, compact, with ?key=."""
    out = []
    for text in texts:
        body = json.dumps({"comment": {"text": text}, "doNotStore": True,
                           "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]},
                          separators=(",", ":")).encode()  # fmt: skip
        head = (f"POST /v1alpha1/comments:analyze?key={key} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        out.append(head.encode() + body)
    return out


def coral_phase_call(i: int, text: str) -> tuple[bytes, str]:
    """Coral's External Moderation Phase body for the i-th comment (25 stories, 200 authors,
    pretty-printed JSON) and its X-Coral-Signature under the phase's secret."""
    story = f"story-{i % 25}"
    body = json.dumps({
        "action": "NEW", "comment": {"body": text, "parentID": None},
        "author": {"id": f"user-{i % 200}", "role": "COMMENTER"},
        "story": {"id": story, "url": f"https://news.example.com/2026/{story}.html"},
        "site": {"id": "site-1"}, "tenantID": "tenant-1", "tenantDomain": "comments.example.com",
    }, indent=2).encode()  # fmt: skip
    return body, "sha256=" + hmac.new(CORAL_SECRET.encode(), body, hashlib.sha256).hexdigest()


def coral_phase_requests(texts: list[str]) -> list[bytes]:
    """Coral's External Moderation Phase calls as raw HTTP/1.1 requests."""
    out = []
    for i, text in enumerate(texts):
        body, signature = coral_phase_call(i, text)
        head = ("POST /integrations/coral/moderation HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nUser-Agent: Coral Moderation/9.11.0\r\n"
                f"X-Coral-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        out.append(head.encode() + body)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str) -> str:
    """Migrate a fresh database and create a user with an API key; returns the key."""
    sys.path.insert(0, str(REPO / "src"))
    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.users import create_api_key, create_user

    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        key = create_api_key(session, create_user(session, "bench", "bench-password", "moderator"), "bench")
    engine.dispose()
    return key


def start_server(
    url: str, port: int, workers: int, log: Path, extra: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "threadguard", "serve", "--db", url, "--port", str(port),
               "--workers", str(workers), *extra]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    time.sleep(2 if workers > 1 else 0)  # let every worker finish loading its model
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start; log:\n{log.read_text()[-3000:]}")


def requests_for(texts: list[str], key: str, store: bool) -> list[bytes]:
    out = []
    for text in texts:
        body = json.dumps({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
                           "languages": ["en"], "doNotStore": not store}).encode()  # fmt: skip
        head = (f"POST /v1alpha1/comments:analyze?key={key} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        out.append(head.encode() + body)
    return out


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, payload: bytes) -> int:
        """One request on this keep-alive connection; returns the HTTP status."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return (
            round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)
            if ordered
            else float("nan")
        )

    return {"completed": len(ordered), "errors": errors, "seconds": round(seconds, 2),
            "achieved_rps": round(len(ordered) / seconds, 1) if seconds else 0.0,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": pct(1.0)}  # fmt: skip


async def run_request(
    pool: asyncio.Queue[Connection], payload: bytes, due: float, out: dict[str, Any]
) -> None:
    connection = await pool.get()
    try:
        waited = time.perf_counter() - due
        if waited > REQUEST_TIMEOUT:  # a client would have given up: count it, keep the step bounded
            raise TimeoutError
        status = await asyncio.wait_for(connection.send(payload), REQUEST_TIMEOUT - waited)
        if status in (200, 204):  # 204: the Coral phase has nothing to say
            out["latencies"].append(time.perf_counter() - due)
        else:
            out["errors"] += 1
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
        out["errors"] += 1
        connection.close()
    finally:
        pool.put_nowait(connection)


async def open_loop(port: int, payloads: list[bytes], rate: float, seconds: float) -> dict[str, Any]:
    """Send `rate` requests/s on schedule for `seconds`; latency counts from each request's due time."""
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(CONNECTIONS):
        pool.put_nowait(Connection(port))
    out: dict[str, Any] = {"latencies": [], "errors": 0}
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks, sent = [], 0
    while sent < total:
        due_now = min(total, int((time.perf_counter() - start) * rate) + 1)
        while sent < due_now:
            due = start + sent / rate
            tasks.append(asyncio.create_task(run_request(pool, payloads[sent % len(payloads)], due, out)))
            sent += 1
        await asyncio.sleep(0.0005)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait().close()
    return {"offered_rps": rate, **summary(out["latencies"], out["errors"], elapsed)}


async def closed_loop(port: int, payloads: list[bytes], connections: int, seconds: float) -> dict[str, Any]:
    """`connections` clients, each sending its next request as soon as the last is answered."""
    out: dict[str, Any] = {"latencies": [], "errors": 0}
    stop = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        connection = Connection(port)
        i = offset
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.send(payloads[i % len(payloads)]), REQUEST_TIMEOUT)
                if status == 200:
                    out["latencies"].append(time.perf_counter() - sent)
                else:
                    out["errors"] += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                out["errors"] += 1
                connection.close()
            i += connections
        connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(connections)))
    elapsed = time.perf_counter() - start
    return {"connections": connections, **summary(out["latencies"], out["errors"], elapsed)}


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def verdict(step: dict[str, Any]) -> bool:
    """The server kept up with the offered rate, within the latency bound, without an error."""
    kept_up = step["achieved_rps"] >= step["offered_rps"] * 0.98
    return kept_up and step["p99_ms"] <= GOAL_P99_MS and step["errors"] == 0


def write_report(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_server.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = f"""# Server load benchmark: `comments:analyze` and Coral's two hooks

Command: `{result["command"]}`  ·  {result["started"]}

Server: `threadguard serve --workers {result["workers"]}` (tier `{result["tier"]}`, the `serve` default
unless the command says otherwise) on a fresh SQLite database (WAL); model `{result["model"]}`.
Client: this script in a second process, {CONNECTIONS} keep-alive HTTP/1.1 connections on loopback.

Machine: {result["machine"]["cpus"]} CPUs, Python {result["machine"]["python"]}, {
        result["machine"]["platform"]
    }.
Load average before: {result["machine"]["load_average"]}, after: {result["load_after"]}
(the machine is shared; other jobs ran during this benchmark when the load average is above ~0.5).
"""
    if "coral" in result:
        text += coral_section(result)
    if "open_loop" in result:
        text += analyze_sections(result)
    (out / "bench_server.md").write_text(text, encoding="utf-8")


def coral_section(result: dict[str, Any]) -> str:
    cols = ["path", "offered_rps", "achieved_rps", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors",
            "completed", "server_load_average"]  # fmt: skip
    rows = [{"path": name, **step} for name, step in result["coral"].items()]
    verdicts = [
        f"- {name}: p99 **{step['p99_ms']:.1f} ms** "
        + ("(goal met)" if coral_verdict(step, result["coral_rate"]) else "(goal NOT met on this run)")
        for name, step in result["coral"].items()
    ]
    return f"""
## Coral's hooks at {result["coral_rate"]:.0f} requests/s (open loop, {result["coral_seconds"]:.0f} s each)

Coral's built-in Perspective setting sends `{{"comment":{{"text":…}},"doNotStore":true,
"requestedAttributes":{{"TOXICITY":{{}}}},"languages":["en"]}}` to `/v1alpha1/comments:analyze?key=…` and
gives up after 800 ms; its External Moderation Phase POSTs pretty-printed JSON signed with
`X-Coral-Signature` to `/integrations/coral/moderation` (scored in the story's context, stored) and gives
up after the phase's timeout, 200 ms by default. {result["coral_distinct_texts"]} distinct comments of one
to three sentences, 25 stories, 200 authors. Latency counts from each request's due time.

{table(rows, cols)}

Goal (issue 13): p99 <= {CORAL_GOAL_P99_MS:.0f} ms at {result["coral_rate"]:.0f} requests/s, no errors:

{chr(10).join(verdicts)}
"""


def coral_verdict(step: dict[str, Any], rate: float) -> bool:
    kept_up = step["achieved_rps"] >= rate * 0.98
    return kept_up and step["p99_ms"] <= CORAL_GOAL_P99_MS and step["errors"] == 0


def analyze_sections(result: dict[str, Any]) -> str:
    cols = ["offered_rps", "achieved_rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors", "completed"]
    meets = [s for s in result["open_loop"] if verdict(s)]
    best = max((s["offered_rps"] for s in meets), default=0)
    stored = (
        "every request stored in the moderation store (doNotStore false, as clients send by default)"
        if result["store"]
        else "doNotStore true (nothing stored)"
    )
    text = f"""
## `comments:analyze`: latency against offered load (open loop, {result["step_seconds"]} s per step)

Requests for TOXICITY and INSULT on {result["distinct_texts"]} distinct news-comment texts, {stored}.
Latency counts from the moment each request was due, so queueing when the server falls behind shows.

{table(result["open_loop"], cols)}
"""
    if "closed_loop" in result:
        cpu = result["closed_loop"]["server_cpu_ms_per_request"]
        text += f"""
## Most the server sustains (closed loop, {result["closed_loop"]["connections"]} connections)

{table([result["closed_loop"]], ["connections", "achieved_rps", "p50_ms", "p99_ms", "max_ms", "errors"])}

Server CPU time per request (all server processes, user + system, during the closed loop):
**{cpu:.2f} ms**, so two otherwise idle cores could serve at most about {2000 / cpu:.0f} requests/s
before the load generator takes its share. This figure depends much less on other jobs than the
throughput above (though contention for caches still inflates it).

Where it goes (closed loop, 16 connections, 3 s each):

{table(result["cpu_breakdown"], ["request", "achieved_rps", "server_cpu_ms_per_request"])}
"""
    text += f"""
## Goal: >= {GOAL_RPS} requests/s with p99 <= {GOAL_P99_MS:.0f} ms and zero errors

Highest offered rate met with p99 <= {GOAL_P99_MS:.0f} ms and no errors: **{best:.0f} requests/s**
({"goal met" if best >= GOAL_RPS * 0.98 else "goal NOT met on this run"}).
"""
    return text


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its worker processes so far."""
    import psutil

    parent = psutil.Process(pid)
    total = 0.0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


async def drive(
    port: int,
    server_pid: int,
    payloads: list[bytes],
    rates: list[float],
    step: float,
    variants: dict[str, list[bytes]],
    coral: dict[str, list[bytes]],
    coral_rate: float,
    coral_seconds: float,
    phases: set[str],
) -> dict[str, Any]:
    await closed_loop(port, payloads, 8, 2.0)  # warm-up: connections, caches, JIT-free but lazy imports
    measured: dict[str, Any] = {}
    if "coral" in phases:
        measured["coral"] = {}
        for name, requests in coral.items():
            await closed_loop(port, requests, 4, 1.0)  # this path's own lazy imports
            result = await open_loop(port, requests, coral_rate, coral_seconds)
            result["server_load_average"] = [round(x, 2) for x in os.getloadavg()]
            measured["coral"][name] = result
            print(f"{name}: {coral_rate:.0f}/s for {coral_seconds:.0f} s  p50 {result['p50_ms']:.2f} ms  "
                  f"p95 {result['p95_ms']:.2f} ms  p99 {result['p99_ms']:.2f} ms  errors {result['errors']}",
                  flush=True)  # fmt: skip
    if "open" in phases:
        steps = []
        for rate in rates:
            result = await open_loop(port, payloads, rate, step)
            steps.append(result)
            print(f"offered {rate:>6.0f}/s  achieved {result['achieved_rps']:>7.1f}/s  "
                  f"p50 {result['p50_ms']:>7.2f} ms  p99 {result['p99_ms']:>8.2f} ms  "
                  f"errors {result['errors']}", flush=True)  # fmt: skip
            if result["p99_ms"] > 2000 or result["errors"] > result["completed"]:
                break  # far past saturation: higher rates only pile up queues
        measured["open_loop"] = steps
    if "closed" in phases:
        cpu_before = server_cpu_seconds(server_pid)
        closed = await closed_loop(port, payloads, 32, step * 2)
        cpu = server_cpu_seconds(server_pid) - cpu_before
        closed["server_cpu_ms_per_request"] = round(1000 * cpu / max(closed["completed"], 1), 3)
        print(f"closed loop, 32 connections: {closed['achieved_rps']:.1f}/s, p99 {closed['p99_ms']:.2f} ms, "
              f"errors {closed['errors']}", flush=True)  # fmt: skip
        measured["closed_loop"] = closed
        measured["cpu_breakdown"] = await cpu_breakdown(port, server_pid, variants)
    return measured


async def cpu_breakdown(port: int, server_pid: int, variants: dict[str, list[bytes]]) -> list[dict[str, Any]]:
    """Server CPU per request for cheaper requests, to show where the time of a stored analyze goes."""
    rows = []
    for name, payloads in variants.items():
        before = server_cpu_seconds(server_pid)
        run = await closed_loop(port, payloads, 16, 3.0)
        cpu = server_cpu_seconds(server_pid) - before
        per_request = round(1000 * cpu / max(run["completed"], 1), 3)
        rows.append(
            {"request": name, "achieved_rps": run["achieved_rps"], "server_cpu_ms_per_request": per_request}
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2: one per core)")
    parser.add_argument("--step-seconds", type=float, default=5.0, help="duration of each open-loop step")
    parser.add_argument("--rates", default="100,250,500,750,1000,1250,1500", help="offered requests/s")
    parser.add_argument("--do-not-store", action="store_true", help="send doNotStore: true")
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    parser.add_argument("--coral-rate", type=float, default=50.0, help="Coral steps: requests/s")
    parser.add_argument("--coral-seconds", type=float, default=40.0, help="Coral steps: seconds each")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help="comma-separated: coral (Coral's two hooks), open (analyze rate steps), "
                        "closed (closed loop and CPU breakdown)")  # fmt: skip
    parser.add_argument("--tier", default=None, help="server tier (default: what `threadguard serve` uses)")
    args = parser.parse_args()
    phases = {p.strip() for p in args.phases.split(",") if p.strip()}
    if not phases or phases - set(PHASES):
        parser.error(f"--phases takes some of {', '.join(PHASES)}")
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    texts = comments(500)
    with tempfile.TemporaryDirectory(prefix="threadguard-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        key = prepare_database(url)
        port = free_port()
        load_before = machine()
        extra = ("--coral-secret", CORAL_SECRET, *(("--tier", args.tier) if args.tier else ()))
        server = start_server(url, port, args.workers, Path(folder) / "server.log", extra)
        try:
            payloads = requests_for(texts, key, store=not args.do_not_store)
            rates = [float(r) for r in args.rates.split(",")]
            variants = {
                "GET /healthz (HTTP stack only)": [b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"],
                "analyze, doNotStore": requests_for(texts, key, store=False),
                "analyze, stored": requests_for(texts, key, store=True),
            }
            coral_texts = coral_comments(500)
            coral = {
                "Coral built-in Perspective (comments:analyze, doNotStore)": coral_perspective_requests(
                    coral_texts, key
                ),
                "Coral External Moderation Phase (signed, stored)": coral_phase_requests(coral_texts),
            }
            measured = asyncio.run(drive(port, server.pid, payloads, rates, args.step_seconds, variants,
                                         coral, args.coral_rate, args.coral_seconds, phases))  # fmt: skip
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        from threadguard.server.settings import Settings
        from threadguard.thread.context import ContextScorer

        tier = args.tier or Settings().tier

        result = {
            "command": " ".join(["python", "bench/bench_server.py", *sys.argv[1:]]),
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "workers": args.workers, "store": not args.do_not_store, "step_seconds": args.step_seconds,
            "machine": load_before, "load_after": [round(x, 2) for x in os.getloadavg()],
            "model": ContextScorer.load(tier=tier).version, "distinct_texts": len(set(texts)), "tier": tier,
            "phases": sorted(phases), "coral_rate": args.coral_rate, "coral_seconds": args.coral_seconds,
            "coral_distinct_texts": len(set(coral_texts)),
            "texts": [*texts[:5], "..."], **measured,
        }  # fmt: skip
    write_report(result, args.out)
    print(f"wrote {args.out / 'bench_server.md'} and bench_server.json")


if __name__ == "__main__":
    main()
