"""Smoke test of bench/bench_coral_phase.py: a tiny open-loop, profiled run through the real app."""

from __future__ import annotations

import pstats
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_tiny_profiled_open_loop_run_reports_the_cost_and_the_statements(tmp_path: Path) -> None:
    profile = tmp_path / "phase.prof"
    cmd = [sys.executable, str(REPO / "bench" / "bench_coral_phase.py"), "--requests", "6", "--warmup", "2"]
    cmd += ["--rate", "50", "--profile", str(profile)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "6 open loop at 50/s phase requests after 2 warm-up" in proc.stdout
    assert re.search(r"p99 [\d.]+ ms", proc.stdout)
    statements = float(re.search(r"SQL statements per request: ([\d.]+)", proc.stdout).group(1))
    assert 3 <= statements <= 12  # reads and writes of each stored comment, counted on the engine
    profiled = {f for _file, _line, f in pstats.Stats(str(profile)).stats}
    assert "moderate" in profiled  # the threadpool's work ran where cProfile could see it
