"""The Ray engine: the same chunks, scorer and commits as the local engine, run as a Ray Data pipeline.

    files --flat_map(read chunks, one task per input file)--> chunks
          --map_batches(ChunkScorer actors, one CPU each)--> scored parts --> this process commits them

Read tasks run on the cluster's nodes, so every node must see the inputs at the same path (shared
storage); results come back to this process, which alone writes the output. Locally, `ray.init` starts
a private Ray instance with `workers` CPUs; with `address` it joins an existing cluster.
"""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from threadguard.batch.chunks import read_chunks
from threadguard.batch.scoring import ChunkScorer, ScoredChunk, ScoreOptions
from threadguard.batch.sources import ReadOptions

if TYPE_CHECKING:
    from threadguard.batch.checkpoint import WorkDir
    from threadguard.batch.job import BatchJob
    from threadguard.batch.progress import BatchProgress

BLOCK_BYTES = 1  # a block per chunk: each chunk can go to a different scorer as soon as it is read


@dataclass(frozen=True)
class ChunkReader:
    """Ray task body: the chunks of one input file that are not done yet, pickled."""

    options: ReadOptions
    chunk_rows: int
    done: frozenset[str]

    def __call__(self, row: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from pathlib import Path

        for chunk in read_chunks(int(row["file_index"]), Path(row["path"]), self.options, self.chunk_rows):
            if chunk.key not in self.done:
                yield {"key": chunk.key, "chunk": pickle.dumps(chunk)}


class RayChunkScorer:
    """Ray actor: one Scorer per actor, loaded once."""

    def __init__(self, options: ScoreOptions) -> None:
        self.score = ChunkScorer(options)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        scored = [self.score(pickle.loads(data)) for data in batch["chunk"]]
        return {
            "key": [s.key for s in scored],
            "part": [s.part for s in scored],
            "meta": [json.dumps(s.meta).encode() for s in scored],
        }


def run_ray(
    job: BatchJob, workdir: WorkDir, progress: BatchProgress, workers: int | None, address: str | None
) -> None:
    import ray
    import ray.data

    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(
            num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
        )
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # not a line per dataset execution
    try:
        if workers is None:
            workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.target_max_block_size = BLOCK_BYTES
        files = [{"file_index": i, "path": str(path)} for i, path in enumerate(job.inputs)]
        reader = ChunkReader(job.read, job.chunk_rows, frozenset(workdir.done()))
        dataset = (
            ray.data.from_items(files, override_num_blocks=len(files))
            .flat_map(reader, num_cpus=0)  # reading is light next to scoring; scorers take the CPUs
            .map_batches(
                RayChunkScorer,
                fn_constructor_args=(job.score,),
                batch_size=1,
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=1,
            )
        )
        for row in dataset.iter_rows():
            scored = ScoredChunk(row["key"], row["part"], json.loads(row["meta"]))
            workdir.commit(scored)
            progress.advance(scored.meta)
    finally:
        ray.shutdown()
