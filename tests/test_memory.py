"""Issue 10's acceptance: one huge comment never takes the memory of `threadguard score`, `threadguard
batch` or the server's `/api/v1/ingest` (a 50 MB comment sent batch to 23.9 GB; a 2 MB one took the
server from 192 MB to 1,177 MB).

Each command runs in its own process and its peak resident memory (the kernel's high-water mark, which
sees C allocations too) is compared with the same command on a one-line input: a 20 MB comment (over
every cap: skipped as too_long) and a comment just under the caps (read, cut to the per-comment cap,
scored) may add at most EXTRA_MB. The fast tier is used throughout so that the accurate tier's model
loading (some 70 MB, the same for any comment) does not count as the comment's. Measured on the
development machine over a one-line run: score +8 MB (20 MB line) / +14 MB (4 MB line); batch +0 MB
(20 MB line) / +23 MB (20 MB CSV field) / +6 MB (4 MB field); the server +58 MB after all four big
uploads. Before the caps: batch +167 MB and the server +313 MB for the 20 MB CSV comment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.service.test_faults import Server
from threadguard.ingest.json_lines import MAX_LINE_BYTES
from threadguard.ingest.limits import MAX_FIELD_CHARS
from threadguard.store.database import make_engine, session_factory, upgrade
from threadguard.store.schema import User
from threadguard.store.users import create_api_key

EXTRA_MB = 100  # the target: no single input row takes more than ~100 MB extra
HUGE = 20 * 2**20
SENTENCE = "You are wrong about the bridge and you know it. "

# Peak resident memory of one command and everything it starts, in MB, as its own parent sees it.
PEAK = """
import resource, subprocess, sys
stdin = open(sys.argv[1], "rb") if sys.argv[1] != "-" else subprocess.DEVNULL
done = subprocess.run(sys.argv[2:], stdin=stdin, capture_output=True)
assert done.returncode == 0, done.stderr[-2000:]
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def _text(size: int) -> str:
    return (SENTENCE * (size // len(SENTENCE) + 1))[:size]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One comment per file: small, 20 MB, and just under the JSON-line / CSV-field caps."""
    folder = tmp_path_factory.mktemp("memory")
    texts = {"small": _text(60), "huge": _text(HUGE), "under": _text(MAX_LINE_BYTES - 1000)}
    paths = {}
    for name, text in texts.items():
        paths[f"{name}.jsonl"] = folder / f"{name}.jsonl"
        paths[f"{name}.jsonl"].write_text(json.dumps({"id": name, "text": text}) + "\n", encoding="utf-8")
        paths[f"{name}.csv"] = folder / f"{name}.csv"
        paths[f"{name}.csv"].write_text(f'id,author,text\n{name},ann,"{text}"\n', encoding="utf-8")
    assert MAX_LINE_BYTES - 1000 < MAX_FIELD_CHARS < HUGE
    return paths


def _peak_mb(stdin: Path | None, *command: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(stdin or "-"), *command], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout)


def test_score_jsonl_with_a_20_mb_comment(inputs: dict[str, Path]) -> None:
    command = (sys.executable, "-m", "threadguard", "score", "--jsonl", "--tier", "fast")
    baseline = _peak_mb(inputs["small.jsonl"], *command)
    for name in ("huge.jsonl", "under.jsonl"):
        peak = _peak_mb(inputs[name], *command)
        assert peak < baseline + EXTRA_MB, f"{name}: {peak} MB, one small line {baseline} MB"


def test_batch_with_a_20_mb_comment(inputs: dict[str, Path], tmp_path: Path) -> None:
    def run(name: str) -> int:
        out = tmp_path / f"{name}.scores.jsonl"
        command = ("-m", "threadguard", "batch", str(inputs[name]), "--out", str(out), "--workers", "1")
        peak = _peak_mb(None, sys.executable, *command, "--no-progress")
        summary = json.loads(out.with_name(f"{out.stem}.summary.json").read_text())
        assert summary["rows_scored"] + summary["bad_inputs"] == 1  # the row is accounted for
        return peak

    baseline = run("small.jsonl")
    for name in ("huge.jsonl", "huge.csv", "under.csv"):
        peak = run(name)
        assert peak < baseline + EXTRA_MB, f"{name}: {peak} MB, one small line {baseline} MB"


def _server_peak_mb(pid: int) -> int:
    """The server process's peak resident memory so far (VmHWM), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) // 1024


def test_ingest_api_with_a_20_mb_comment(inputs: dict[str, Path], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tg.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        user = User(username="admin", password_hash="-", role="admin")
        session.add(user)
        session.flush()
        key = create_api_key(session, user, "memory", scopes=["ingest"])
    engine.dispose()
    server = Server(url, tmp_path / "server.log", extra=("--tier", "fast"))
    server.start()
    try:
        assert server.process is not None

        def ingest(name: str) -> dict:
            with inputs[name].open("rb") as file:
                response = httpx.post(
                    f"{server.base}/api/v1/ingest", params={"key": key}, files={"file": (name, file)},
                    timeout=300,
                )  # fmt: skip
            assert response.status_code == 200, response.text[:2000]
            return response.json()["report"]

        ingest("small.jsonl")
        ingest("small.csv")
        baseline = _server_peak_mb(server.process.pid)
        assert ingest("huge.jsonl")["warnings"] == {"too_long": 1}
        assert ingest("huge.csv")["warnings"] == {"too_long": 1}
        assert ingest("under.jsonl")["comments_read"] == 1
        under = ingest("under.csv")
        assert (under["comments_read"], under["warnings"]) == (1, {"too_long": 1})  # cut and stored
        peak = _server_peak_mb(server.process.pid)
        assert peak < baseline + EXTRA_MB, f"server peak {peak} MB after small ingests {baseline} MB"
    finally:
        server.kill()
