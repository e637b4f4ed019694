"""Run a command and sample its whole process tree (the local engine's pool, or Ray's daemons and
workers, are children of the command): peak resident memory, and CPU seconds used, so that throughput
can be judged per CPU-second on a machine shared with other work."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from dataclasses import dataclass

import psutil

SAMPLE_S = 0.2


@dataclass
class Measured:
    returncode: int
    wall_s: float
    peak_rss_mb: float
    cpu_s: float  # user + system seconds of every process of the tree (last sample of each)
    stderr: str


def run_measured(command: list[str]) -> Measured:
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(child.pid)
    peak = 0
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            rss = 0
            for p in processes:
                with contextlib.suppress(psutil.Error), p.oneshot():  # psutil.Error: it just ended
                    rss += p.memory_info().rss
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
            peak = max(peak, rss)
            stop.wait(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    stop.set()
    sampler.join()
    return Measured(child.returncode, time.perf_counter() - started, peak / 2**20, sum(cpu.values()), stderr)
