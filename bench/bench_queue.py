"""The moderation queue page at 10,000 pending comments: GET /queue per tab, filter, search, sort and
a deep page, against the goal of <= 300 ms server time.

    python bench/bench_queue.py [--pending 10000] [--repeats 20] [--data DIR]

Builds a fresh SQLite store in a temporary folder through the store's own migrations and API: the C3
news comments (12,000 Globe and Mail comments under 484 articles, 5,519 authors; `--data` or
$THREADGUARD_DATA, else ../shared/data) as one thread per article, a third of them replies to an
earlier comment of their thread, spread over four communities and 30 days, each scored in its thread's
context by the shipped fast scorer and stored as the ingest path stores it (decide_new, ingest_thread)
under a policy that sends every comment to review. All but `--pending` of them are then decided through
the moderators' audited path (approved, rejected, escalated, reported). `threadguard serve` (one
worker) runs on that database in its own process; this process logs in as a moderator over loopback
and times each page.

The app sends no server-side timer, so the figure is the wall time of each request over a keep-alive
loopback connection (request sent to last body byte read): an upper bound on the server's time. Writes
reports/bench_queue.md and reports/bench_queue.json with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import REPO, free_port, machine, server_cpu_seconds, start_server, table

sys.path.insert(0, str(REPO / "src"))

GOAL_MS = 300.0
C3_FILE = Path("c3_constructive_comments") / "C3_anonymized.csv.gz"
COMMUNITIES = ("news", "politics", "business", "opinion")
REPLY_SHARE = 1 / 3
DAYS = 30
# What the decided comments become, in this proportion (the rest stay pending).
DECIDED = {"approve": 0.6, "reject": 0.2, "escalate": 0.12, "report": 0.08}
USER, PASSWORD = "bench-moderator", "bench-password"


def load_c3(data_dir: Path) -> list[dict[str, str]]:
    import pandas as pd

    path = data_dir / C3_FILE
    if not path.is_file():
        raise SystemExit(f"C3 comments not found at {path} (use --data DIR or THREADGUARD_DATA)")
    frame = pd.read_csv(path, usecols=["article_id", "comment_author", "comment_counter", "comment_text"])
    frame = frame.dropna(subset=["comment_text"])
    return [
        {
            "article": str(r.article_id),
            "author": f"reader{r.comment_author}",
            "counter": str(r.comment_counter),
            "text": str(r.comment_text),
        }
        for r in frame.itertuples(index=False)
        if str(r.comment_text).strip()
    ]


def threads_from(rows: list[dict[str, str]], seed: int = 0) -> list[tuple[str, Any]]:
    """(community, Thread) per article, comments in their position order (`source1_<article>_<pos>`),
    a third of them replies to an earlier comment, times over the last DAYS days."""
    from threadguard.thread.model import Comment
    from threadguard.thread.tree import make_thread

    rng = random.Random(seed)
    by_article: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_article.setdefault(row["article"], []).append(row)
    start = datetime.now(UTC) - timedelta(days=DAYS)
    threads = []
    for article, items in sorted(by_article.items()):
        items.sort(key=lambda r: int(r["counter"].rsplit("_", 1)[-1]))
        opened = start + timedelta(minutes=rng.randrange(DAYS * 24 * 60 - 24 * 60))
        comments = []
        for i, item in enumerate(items):
            parent = comments[rng.randrange(i)].id if i and rng.random() < REPLY_SHARE else None
            created = opened + timedelta(minutes=i * rng.uniform(1, 6))
            comments.append(
                Comment(
                    item["counter"], parent, item["text"], author=item["author"], created=created.isoformat()
                )
            )
        title = f"Globe and Mail opinion, article {article}"
        threads.append((rng.choice(COMMUNITIES), make_thread("c3", comments, id=article, title=title)))
    return threads


def build_store(url: str, data_dir: Path, pending: int) -> dict[str, Any]:
    """The benchmark's database; returns what it holds and how long building it took."""
    from sqlalchemy import select

    from threadguard.policy import Policy
    from threadguard.store.comments import ingest_thread
    from threadguard.store.database import make_engine, session_factory, upgrade
    from threadguard.store.decisions import decide
    from threadguard.store.moderation import decide_new
    from threadguard.store.schema import CommentRow
    from threadguard.store.users import create_user
    from threadguard.thread.context import ContextScorer
    from threadguard.thread.scoring import score_thread

    started = time.perf_counter()
    threads = threads_from(load_c3(data_dir))
    scorer = ContextScorer.load(tier="fast")
    review_all = Policy.from_dict({"default": {"TOXICITY": {"review": 0.0}}})  # everything waits
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    scoring_s = 0.0
    for community, thread in threads:
        t0 = time.perf_counter()
        scores = [s.score for s in score_thread(thread, scorer)]
        scoring_s += time.perf_counter() - t0
        items = [(c.text, c.author, s) for c, s in zip(thread.comments, scores, strict=True)]
        with sessions.begin() as session:
            decisions = decide_new(session, review_all, community, items)
            ingest_thread(session, thread, scores, decisions, community, "bench", fallback_key=thread.id)
    with sessions.begin() as session:
        ids = list(session.scalars(select(CommentRow.id).order_by(CommentRow.id)))
        create_user(session, USER, PASSWORD, "moderator")
    if len(ids) < pending:
        raise SystemExit(f"only {len(ids)} comments to store; ask for --pending <= {len(ids)}")
    rng = random.Random(1)
    rng.shuffle(ids)
    chosen = ids[pending:]
    cut = 0
    decided: Counter[str] = Counter()
    with sessions.begin() as session:
        for n, (action, share) in enumerate(DECIDED.items()):
            count = len(chosen) - cut if n == len(DECIDED) - 1 else round(share * len(chosen))
            batch = chosen[cut : cut + count]
            cut += count
            for i in range(0, len(batch), 500):
                decide(session, batch[i : i + 500], action, USER, reason="bench")
            decided[action] = len(batch)
    engine.dispose()
    return {
        "comments": len(ids),
        "threads": len(threads),
        "authors": len({r.author for _, t in threads for r in t.comments}),
        "pending": pending,
        "decided": dict(decided),
        "scoring_seconds": round(scoring_s, 1),
        "build_seconds": round(time.perf_counter() - started, 1),
        "model": scorer.version,
    }


def cases(url: str, pending: int) -> list[tuple[str, str]]:
    """(case, query string) for the page; the story, author and community are real ones of the store."""
    from sqlalchemy import func, select

    from threadguard.store.database import make_engine, session_factory
    from threadguard.store.schema import CommentRow

    engine = make_engine(url)
    with session_factory(engine)() as session:
        pending_only = CommentRow.status == "pending"
        story = session.execute(
            select(CommentRow.thread_id)
            .where(pending_only)
            .group_by(CommentRow.thread_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        author = session.execute(
            select(CommentRow.author)
            .where(pending_only)
            .group_by(CommentRow.author)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
    engine.dispose()
    deep = max(0, (pending // 100) * 100 - 100)
    return [
        ("pending, riskiest first (default)", "tab=pending"),
        ("escalated tab", "tab=escalated"),
        ("reported later tab", "tab=reported"),
        ("approved tab", "tab=approved"),
        ("rejected tab", "tab=rejected"),
        ("all tab", "tab=all"),
        ("attribute THREAT, min score 0.3", "tab=pending&attribute=THREAT&min_score=0.3"),
        ("attribute INSULT, min score 0.05", "tab=pending&attribute=INSULT&min_score=0.05"),
        ("community filter", f"tab=pending&community={COMMUNITIES[1]}"),
        ("story filter", f"tab=pending&thread_id={story}"),
        ("author filter", f"tab=pending&author={author}"),
        ("search, one word (harper)", "tab=pending&q=harper"),
        ("search, two words, prefix (carbon tax)", "tab=pending&q=carbon+ta"),
        ("search, very common word (the), all tab", "tab=all&q=the"),
        ("sort newest first", "tab=pending&sort=newest"),
        ("sort oldest first", "tab=pending&sort=oldest"),
        (f"deep page, offset {deep}", f"tab=pending&offset={deep}"),
        (f"deep page, newest, offset {deep}", f"tab=pending&sort=newest&offset={deep}"),
    ]


def log_in(client: httpx.Client) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    answer = client.post(
        "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    )
    if answer.status_code != 303 or "/queue" not in answer.headers.get("location", ""):
        raise SystemExit(f"login failed: {answer.status_code} {answer.text[:300]}")


def measure(
    client: httpx.Client, server_pid: int, query: str, repeats: int, warmups: int = 2
) -> dict[str, Any]:
    times, body, cpu = [], "", 0.0
    for i in range(warmups + repeats):
        if i == warmups:
            cpu = server_cpu_seconds(server_pid)
        t0 = time.perf_counter()
        response = client.get(f"/queue?{query}")
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"/queue?{query} answered {response.status_code}: {response.text[:300]}")
        body = response.text
        if i >= warmups:
            times.append(elapsed)
    cpu = server_cpu_seconds(server_pid) - cpu
    ordered = sorted(times)
    tab = re.search(r'class="tab current"[^>]*>[^<]*<span class="count">(\d+)</span>', body)
    return {
        "rows": body.count('<tr class="item"'),
        "tab_count": int(tab.group(1)) if tab else None,
        "html_kb": round(len(body.encode()) / 1024, 1),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "max_ms": round(ordered[-1], 1),
        "server_cpu_ms": round(1000 * cpu / repeats, 1),
        "samples_ms": [round(t, 2) for t in times],
    }


def write_report(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_queue.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [{**r, "goal": "met" if r["p95_ms"] <= GOAL_MS else "MISSED"} for r in result["cases"]]
    columns = [
        "case",
        "rows",
        "tab_count",
        "html_kb",
        "median_ms",
        "p95_ms",
        "max_ms",
        "server_cpu_ms",
        "goal",
    ]
    store = result["store"]
    missed = [r["case"] for r in rows if r["goal"] != "met"]
    lines = [
        "# Moderation queue page at 10,000 pending comments",
        "",
        f"Command: `{result['command']}`  ·  {result['started']}",
        "",
        f"Store: fresh SQLite (WAL) built through the migrations and the store's API: {store['comments']:,} "
        f"C3 news comments in {store['threads']} threads (one per article), {store['authors']:,} authors, "
        f"4 communities, a third of them replies; scored in context by the shipped fast scorer "
        f"(`{store['model']}`, {store['scoring_seconds']} s) and stored by decide_new + ingest_thread; "
        f"{store['pending']:,} pending, decided through the audited path: {store['decided']}.",
        "",
        "Server: `threadguard serve --workers 1 --tier fast` in its own process; this script logs in as a "
        "moderator and fetches `/queue` over one keep-alive loopback connection.",
        "",
        "Timing: the app sends no server-side timer, so each figure is the request's wall time over "
        "loopback (sent to last byte read), an upper bound on server time; on this shared machine it "
        "includes waiting for a CPU other jobs hold. `server_cpu_ms` is the server process's CPU time "
        "(user + system) per request over the same requests, which other jobs inflate far less. "
        f"{result['repeats']} timed requests per case after 2 warm-ups; a page shows 100 rows. The goal "
        "is judged on the p95 wall time.",
        "",
        f"Machine: {result['machine']['cpus']} CPUs, Python {result['machine']['python']}; load average "
        f"before {result['machine']['load_average']}, after {result['load_after']} "
        "(shared machine: other jobs ran alongside when the load is above ~0.5).",
        "",
        table(rows, columns),
        "",
        f"Goal: p95 <= {GOAL_MS:.0f} ms in every case: "
        + ("**met**." if not missed else f"**MISSED** in {len(missed)}: {', '.join(missed)}."),
        "",
    ]
    (out / "bench_queue.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pending", type=int, default=10_000, help="comments left pending")
    parser.add_argument("--repeats", type=int, default=20, help="timed requests per case")
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (holds C3)")
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    args = parser.parse_args()
    data_dir = args.data or Path(os.environ.get("THREADGUARD_DATA") or Path("..") / "shared" / "data")
    with tempfile.TemporaryDirectory(prefix="threadguard-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        store = build_store(url, data_dir, args.pending)
        print(f"store: {store}", flush=True)
        load_before = machine()
        port = free_port()
        server = start_server(
            url, port, 1, Path(folder) / "server.log", extra=("--no-secure-cookies", "--tier", "fast")
        )
        measured = []
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                log_in(client)
                for name, query in cases(url, args.pending):
                    result = {
                        "case": name,
                        "query": query,
                        **measure(client, server.pid, query, args.repeats),
                    }
                    measured.append(result)
                    print(
                        f"{name:<45} rows {result['rows']:>3}  median {result['median_ms']:>7.1f} ms  "
                        f"p95 {result['p95_ms']:>7.1f} ms  cpu {result['server_cpu_ms']:>6.1f} ms",
                        flush=True,
                    )
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    result = {
        "command": " ".join(["python", "bench/bench_queue.py", *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "repeats": args.repeats,
        "goal_ms": GOAL_MS,
        "timing": "wall time over loopback (no server-side timer in the app)",
        "machine": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "store": store,
        "cases": measured,
    }
    write_report(result, args.out)
    print((args.out / "bench_queue.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
