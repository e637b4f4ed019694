"""Smoke test of bench/bench_batch.py: a tiny run on the local engine writes the report with its goals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_tiny_local_run_writes_report_with_the_fast_tier_goals(shared_data: Path, tmp_path: Path) -> None:
    cmd = [sys.executable, str(REPO / "bench" / "bench_batch.py"), "--rows", "60", "--small-rows", "20"]
    cmd += ["--spans-rows", "10", "--skip-ray", "--data", str(shared_data), "--out", str(tmp_path)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]

    report = json.loads((tmp_path / "bench_batch.json").read_text(encoding="utf-8"))
    assert report["tier"] == "fast"
    runs = {run["name"]: run for run in report["runs"]}
    assert set(runs) == {"local-2", "local-2-small", "local-2-spans"}
    assert [runs[name]["rows"] for name in ("local-2", "local-2-small", "local-2-spans")] == [60, 20, 10]
    md = (tmp_path / "bench_batch.md").read_text(encoding="utf-8")
    assert "Goals of the fast-tier issue (tier `fast`)" in md
    assert "not judged (< 1,000,000 rows)" in md  # 60 rows say nothing about the 1M-row goal
