"""The local engine: this process reads and chunks the inputs; a pool of worker processes, each with
its own Scorer loaded once, scores the chunks; this process commits them as they finish.

At most two chunks per worker are in flight, so memory stays flat whatever the input size. Workers
ignore Ctrl-C (this process stops them after their current chunk) and exit if this process dies.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING

from threadguard.batch.chunks import Chunk
from threadguard.batch.scoring import ChunkScorer, ScoredChunk, ScoreOptions

if TYPE_CHECKING:
    from threadguard.batch.checkpoint import WorkDir
    from threadguard.batch.job import BatchJob
    from threadguard.batch.progress import BatchProgress

IN_FLIGHT_PER_WORKER = 2
_scorer: ChunkScorer | None = None


def run_local(job: BatchJob, workdir: WorkDir, progress: BatchProgress, workers: int) -> None:
    done = workdir.done()
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _start_worker, (job.score,))
    pending: set[Future[ScoredChunk]] = set()

    def commit(finished: set[Future[ScoredChunk]]) -> None:
        for future in finished:
            scored = future.result()
            workdir.commit(scored)
            progress.advance(scored.meta)

    try:
        for chunk in job.chunks():
            if chunk.key in done:
                continue
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                commit(finished)
            pending.add(pool.submit(_score, chunk))
        commit(wait(pending).done)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _start_worker(options: ScoreOptions) -> None:
    global _scorer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _scorer = ChunkScorer(options)


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9) has no one to hand results to: it stops."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _score(chunk: Chunk) -> ScoredChunk:
    assert _scorer is not None, "worker not initialised"
    return _scorer(chunk)
