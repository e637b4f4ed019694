"""Does context help? The same comments scored alone and with their context, on sets that have both.

Writes reports/context.md and reports/context.json. Which sets are clean evaluations and which taught the
base model is stated next to every row: an in-sample set flatters both columns, so only the difference
between them means something there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.datasets import load
from threadguard.eval.metrics import roc_auc
from threadguard.thread.context import Context, ContextScorer
from threadguard.thread.context_training import toxichat_rows

TOXICITY = ATTRIBUTES.index("TOXICITY")


@dataclass
class ContextSet:
    name: str
    texts: list[str]
    contexts: list[Context]
    labels: np.ndarray  # binary, the label the raters gave
    note: str


def cat_small(data_dir: Path | None, label: str) -> ContextSet:
    frame = load("wikipedia_cat_small", data_dir)
    which = "with the parent shown" if label == "label_ic" else "without the parent"
    return ContextSet(
        f"wikipedia cat_small, labelled {which}",
        frame["text"].astype(str).tolist(),
        [Context(parent=str(p)) for p in frame["parent_text"]],
        frame[label].to_numpy(dtype=int),
        "evaluation-only (never trained on)",
    )


def wikipedia_gc(data_dir: Path | None) -> ContextSet:
    frame = load("wikipedia_gc", data_dir)
    return ContextSet(
        "wikipedia gc (labelled with the parent shown)",
        frame["text"].astype(str).tolist(),
        [Context(parent=str(p)) for p in frame["parent"].fillna("")],
        frame["label"].to_numpy(dtype=int),
        "IN-SAMPLE: the base model trained on gc",
    )


def fox_news(data_dir: Path | None) -> ContextSet:
    frame = load("fox_news", data_dir)
    return ContextSet(
        "fox_news (article title + description, previous comment)",
        frame["text"].astype(str).tolist(),
        [
            Context(article=f"{t}\n{m}", parent=str(p) or None)
            for t, m, p in zip(frame["title"], frame["meta"], frame["prev"].fillna(""), strict=True)
        ],
        frame["label"].to_numpy(dtype=int),
        "IN-SAMPLE: the base model trained on fox_news",
    )


def toxichat_test(data_dir: Path | None) -> ContextSet:
    rows = toxichat_rows(data_dir, "test")
    return ContextSet(
        "toxichat test (post as article, previous reply as parent)",
        rows.texts,
        rows.contexts,
        rows.labels[:, TOXICITY].astype(int),
        "official test split (base model: train; context model: dev)",
    )


SETS: dict[str, Callable[[Path | None], ContextSet]] = {
    "cat_small_with_context_label": lambda d: cat_small(d, "label_ic"),
    "cat_small_without_context_label": lambda d: cat_small(d, "label_oc"),
    "toxichat_test": toxichat_test,
    "fox_news": fox_news,
    "wikipedia_gc": wikipedia_gc,
}


def evaluate_context(scorer: ContextScorer, data_dir: Path | None, out_dir: Path) -> dict[str, dict]:
    """TOXICITY ROC-AUC alone and in context, and how often context moved a score, per set."""
    results: dict[str, dict] = {}
    for key, build in SETS.items():
        data = build(data_dir)
        features, own_logits, _ = scorer.features(data.texts, data.contexts)
        alone = own_logits[:, TOXICITY]
        in_context = scorer.model.decision_function(features, own_logits)[:, TOXICITY]
        moved = np.abs(_sigmoid(in_context) - _sigmoid(alone))
        results[key] = {
            "name": data.name,
            "note": data.note,
            "rows": len(data.texts),
            "positives": int(data.labels.sum()),
            "auc_alone": roc_auc(data.labels, alone),
            "auc_in_context": roc_auc(data.labels, in_context),
            "mean_abs_change": float(moved.mean()),
            "share_moved_0_05": float((moved >= 0.05).mean()),
        }
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"model": scorer.version, "attribute": "TOXICITY", "sets": results}
    (out_dir / "context.json").write_text(json.dumps(payload, indent=1) + "\n")
    (out_dir / "context.md").write_text(_markdown(payload))
    return results


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _markdown(payload: dict) -> str:
    lines = [
        "# Scoring with and without context",
        "",
        f"Model `{payload['model']}`, attribute TOXICITY, ROC-AUC against the raters' labels. "
        "Written by `threadguard eval-context`.",
        "",
        "| set | rows (toxic) | AUC alone | AUC in context | Δ | mean abs change | moved ≥ 0.05 | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in payload["sets"].values():
        delta = r["auc_in_context"] - r["auc_alone"]
        lines.append(
            f"| {r['name']} | {r['rows']:,} ({r['positives']:,}) | {r['auc_alone']:.3f} | "
            f"{r['auc_in_context']:.3f} | {delta:+.3f} | {r['mean_abs_change']:.3f} | "
            f"{r['share_moved_0_05']:.1%} | {r['note']} |"
        )
    return "\n".join(lines) + "\n"
