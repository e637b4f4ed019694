"""Training rows for the context model: real threads (ToxiChat dev) and hand-written article/reply pairs.

ToxiChat's train split taught the base model, so the comments' own scores there are in-sample and would
teach the context model that context never matters; its dev split is unseen by the base model. Its test
split stays for evaluation (reports/context.md).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.datasets import load
from threadguard.model.context import ContextModel
from threadguard.model.labels import groups_in
from threadguard.thread.context import Context, ContextScorer

TRAIN_SPLIT = "val"  # ToxiChat dev.jsonl


@dataclass
class ContextRows:
    texts: list[str]
    contexts: list[Context]
    labels: np.ndarray  # (n, 7), NaN where the source does not say
    sources: list[str]


def toxichat_rows(data_dir: Path | None, split: str) -> ContextRows:
    """Reddit replies with the post as article and the previous reply as parent."""
    frame = load("toxichat", data_dir)
    frame = frame[frame["split"] == split]
    texts: list[str] = []
    contexts: list[Context] = []
    labels: list[list[float]] = []
    for _, turns in frame.sort_values(["thread_id", "turn_id"]).groupby("thread_id", sort=True):
        post = str(turns.iloc[0]["text"])
        for k in range(1, len(turns)):
            turn = turns.iloc[k]
            parent = str(turns.iloc[k - 1]["text"]) if k > 1 else None
            offensive = turn["offense_label"] == "Offensive"
            row = dict.fromkeys(ATTRIBUTES, np.nan)
            row["TOXICITY"] = float(offensive)
            targets = " ".join(map(str, turn["offense_targets"]))
            row["IDENTITY_ATTACK"] = float(offensive and bool(groups_in(targets)))
            texts.append(str(turn["text"]))
            contexts.append(Context(article=post, parent=parent))
            labels.append([row[a] for a in ATTRIBUTES])
    return ContextRows(texts, contexts, np.array(labels, dtype=float), ["toxichat"] * len(texts))


def synthetic_rows(seed: int) -> ContextRows:
    """Every reply under every article kind it is labelled for, with a random group per article."""
    spec = _load_spec()
    groups: dict[str, Any] = json.loads(
        (resources.files("threadguard") / "resources" / "synthetic" / "templates.json").read_text("utf-8")
    )["groups"]
    rng = random.Random(seed)
    texts: list[str] = []
    contexts: list[Context] = []
    labels: list[list[float]] = []
    for reply in spec["replies"]:
        by_context = spec["labels"][reply["kind"]]
        for kind, given in by_context.items():
            for article in spec[f"{kind}_articles"]:
                if kind == "group":
                    group = groups[rng.choice(sorted(groups))]
                    article = article.format(
                        group=rng.choice(group["plural"]), group_singular=rng.choice(group["singular"])
                    )
                    article = article[0].upper() + article[1:]
                texts.append(reply["text"])
                contexts.append(Context(article=article))
                labels.append([float(given.get(a, 0.0)) for a in ATTRIBUTES])
    return ContextRows(texts, contexts, np.array(labels, dtype=float), ["synthetic"] * len(texts))


def train_context_model(scorer: ContextScorer, data_dir: Path | None, seed: int = 0) -> ContextModel:
    parts = [toxichat_rows(data_dir, TRAIN_SPLIT), synthetic_rows(seed)]
    texts = [t for p in parts for t in p.texts]
    contexts = [c for p in parts for c in p.contexts]
    features, own_logits, _ = scorer.features(texts, contexts)
    labels = np.vstack([p.labels for p in parts])
    return ContextModel().fit(features, own_logits, labels)


def _load_spec() -> dict[str, Any]:
    path = resources.files("threadguard") / "resources" / "synthetic" / "context.json"
    return json.loads(path.read_text(encoding="utf-8"))
