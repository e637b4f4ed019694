"""Interrupting the local engine (Ctrl-C, then kill -9) and running the same command again gives the
output of an uninterrupted run, byte for byte."""

import os
import signal
import subprocess
import time

import psutil

from tests.batch.helpers import batch_cli, run_cli, write_jsonl
from threadguard.batch.job import BatchJob
from threadguard.batch.sources import ReadOptions


def _interruptible() -> None:
    # Ctrl-C as in a terminal, even where the test runner itself was started with SIGINT ignored
    # (a shell's background job): Python then keeps it ignored, and the job would never stop
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: tuple) -> subprocess.Popen:
    return subprocess.Popen(
        batch_cli(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_interruptible,
    )


def _wait_for_chunks(process: subprocess.Popen, workdir, count: int) -> int:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        done = len(list(workdir.glob("*.chunk.json")))
        if done >= count:
            return done
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} chunks committed in time")


def test_ctrl_c_and_kill_9_then_the_same_command_finishes_the_same_output(tmp_path):
    source = tmp_path / "in.jsonl"
    rows = 6000  # enough that the job is still running when the signal comes, however fast scoring is
    lines = write_jsonl(source, rows, bad_every=100)
    out = tmp_path / "scores.jsonl"
    workdir = tmp_path / "scores.jsonl.parts"
    args = (source, "--out", out, "--chunk-rows", "25", "--workers", "1", "--no-progress")

    first = _start(args)
    _wait_for_chunks(first, workdir, 3)
    os.killpg(first.pid, signal.SIGINT)
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 130 and "run the same command to continue" in stderr
    after_ctrl_c = len(list(workdir.glob("*.chunk.json")))

    second = _start(args)
    _wait_for_chunks(second, workdir, after_ctrl_c + 3)
    workers = psutil.Process(second.pid).children(recursive=True)
    second.kill()  # kill -9 of the command only, as `kill -9 PID` does
    second.wait()
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert workers and not alive, "workers outlived their killed parent"
    assert not out.exists() and len(list(workdir.glob("*.chunk.json"))) < rows // 25

    finished = run_cli(*args)
    assert finished.returncode == 0, finished.stderr
    reference = BatchJob.create([source], tmp_path / "reference.jsonl", ReadOptions(), chunk_rows=25)
    summary = reference.run("local", workers=2, progress=False)
    assert out.read_bytes() == reference.out.read_bytes()
    assert (tmp_path / "scores.errors.jsonl").read_bytes() == reference.errors_path.read_bytes()
    assert summary["rows_scored"] == len(lines["good"]) == out.read_bytes().count(b"\n")
