"""Smoke test of bench/bench_speed.py: a tiny run writes bench.md and bench.json with the expected columns."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench" / "bench_speed.py"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load("bench_speed", BENCH)


def test_quantile_and_verdicts() -> None:
    workers = _load("bench_workers", REPO / "bench" / "_workers.py")
    values = [float(i) for i in range(1, 101)]
    assert workers.quantile(values, 0.5) == 50.0
    assert workers.quantile(values, 0.99) == 99.0
    assert workers.quantile([3.0], 0.99) == 3.0
    bench = _load("bench_speed", BENCH)
    assert bench.verdict_at_least(25_000, 20_000, "/s").startswith("met")
    assert bench.verdict_at_least(12_000, 20_000, "/s") == "missed by 8,000/s (0.6×)"
    assert bench.verdict_at_most(1.5, 2.0, " ms").startswith("met (25% headroom)")
    assert bench.verdict_at_most(5.0, 2.0, " ms") == "missed by 3.00 ms (2.5× limit)"
    assert bench.verdict_at_most(None, 2.0, " ms") == "—"


def test_tiny_run_writes_report(bench: ModuleType, shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    cmd = [sys.executable, str(BENCH), "--rows", "40", "--latency-calls", "10", "--skip-bert"]
    cmd += ["--tier-rows", "20", "--tier-latency-calls", "5", "--tier-score-rows", "10"]
    cmd += ["--repeats", "1", "--load-repeats", "1", "--data", str(shared_data), "--out", str(out)]
    cmd += ["--cli-rows", "30"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Throughput" in proc.stdout

    md = (out / "bench.md").read_text(encoding="utf-8")
    header = "| " + " | ".join(bench.RESULT_COLUMNS) + " |"
    assert header in md
    assert "| " + " | ".join(bench.TARGET_COLUMNS) + " |" in md
    for column in ("Throughput (comments/s)", "p50 (ms)", "p99 (ms)", "Import+load (s)", "Peak RSS (MB)"):
        assert column in header
    for section in ("## Machine", "## Data and row counts", "## Results", "## Against the targets"):
        assert section in md
    assert "## Fast tier against alt-profanity-check" in md
    assert "bench/bench_speed.py --rows 40" in md  # the exact command

    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    cli = report["cli"]  # the whole-process score --jsonl row: every line came out
    assert cli["rows"] == cli["lines_out"] == 30 and cli["throughput"] > 0
    assert report["columns"] == list(bench.RESULT_COLUMNS)
    assert report["machine"]["cpu_count"] >= 1
    rows = {row["key"]: row for row in report["rows"]}
    # threadguard's rows are always present: measured, or saying why not
    assert {"threadguard.predict_proba/1w", "threadguard.score/1w", "profanity-check/1w"} <= set(rows)
    assert {"threadguard.accurate.predict_proba/1w", "threadguard.auto.score/1w"} <= set(rows)
    assert not any(key.startswith("bert-base") for key in rows)
    apc = rows["profanity-check/1w"]
    if apc["error"] is None:
        assert apc["throughput_per_s"] > 0
        assert apc["p99_ms"] >= apc["p50_ms"] > 0
        assert apc["peak_rss_mb"] > 0
        assert apc["import_load_s"] > 0
    for row in rows.values():
        assert set(row["table"]) == set(bench.RESULT_COLUMNS)
