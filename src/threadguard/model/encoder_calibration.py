"""Choose the accurate tier's thresholds on development data only, and write them into its config.

- Flag thresholds: the rule of `flag_thresholds` (UCC `val` healthy comments), as for the fast tier.
- `auto` threshold: the fast-tier probability above which a comment goes on to the accurate tier,
  chosen so that `AUTO_RECALL` of the comments the accurate tier flags on UCC `val` are sent on.
- Span rule: the word-occlusion drop that maximises span F1 on the SemEval-2021 *trial* split (never
  its test split).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.datasets.loaders import load
from threadguard.model.encoder import CONFIG_FILE, EncoderArtifact
from threadguard.model.flag_thresholds import RULE, flag_thresholds, flagged, ucc_val
from threadguard.model.linear import sigmoid
from threadguard.model.train import SpanMetric

AUTO_RECALL = 0.98
SPAN_DROPS = (0.01, 0.02, 0.03, 0.05, 0.1)
SPAN_TRIAL_ROWS = 400


def auto_threshold(fast_max: np.ndarray, accurate_flagged: np.ndarray, recall: float = AUTO_RECALL) -> float:
    """The fast-tier max probability that still sends `recall` of the accurate tier's flags onward."""
    if not accurate_flagged.any():
        return 0.5
    return round(float(min(0.5, np.quantile(fast_max[accurate_flagged], 1 - recall))), 4)


def calibrate(
    encoder: EncoderArtifact,
    data_dir: Path | None,
    fast_proba: Callable[[list[str]], np.ndarray],
    span_metric: SpanMetric,
    progress: Callable[[str], None] = print,
) -> EncoderArtifact:
    """Flag thresholds, the `auto` hand-over (against `fast_proba`, the shipped fast tier's
    probabilities) and the span rule (best `span_metric` on SemEval trial), written into the encoder's
    config. The caller passes the fast tier and the metric: model/ depends on neither scorer nor eval."""
    from threadguard.model.occlusion import occlusion_spans
    from threadguard.text.utf16 import Utf16Index

    texts, healthy = ucc_val(data_dir)
    progress(f"choosing flag thresholds on {len(texts):,} UCC val comments")
    probabilities = sigmoid(encoder.logits(texts)[:, : len(ATTRIBUTES)])
    thresholds = flag_thresholds(probabilities[healthy])
    flags = flagged(probabilities, thresholds)
    auto = auto_threshold(fast_proba(texts).max(axis=1), flags)

    spans = load("toxic_spans_semeval", data_dir)
    trial = spans[spans["split"] == "trial"].head(SPAN_TRIAL_ROWS)
    texts, gold = trial["text"].tolist(), [set(s) for s in trial["spans"]]
    trial_probs = sigmoid(encoder.logits(texts)[:, : len(ATTRIBUTES)])

    seen: dict[str, float] = {}  # the same occluded texts recur for every candidate drop

    def toxicity(variants: list[str]) -> np.ndarray:
        new = [v for v in dict.fromkeys(variants) if v not in seen]
        if new:
            seen.update(zip(new, sigmoid(encoder.logits(new)[:, 0]).tolist(), strict=True))
        return np.array([[seen[v]] for v in variants])

    best = (-1.0, 0.1)
    for drop in SPAN_DROPS:
        predicted = []
        for text, probs in zip(texts, trial_probs, strict=True):
            found = occlusion_spans(
                text, {"TOXICITY": float(probs[0])}, toxicity, ("TOXICITY",),
                min_probability=0.0, word_drop=drop, normaliser=encoder.normaliser,
            )  # fmt: skip
            index = Utf16Index(text)
            ranges = [(index.to_index(s.begin), index.to_index(s.end)) for s in found.get("TOXICITY", [])]
            predicted.append({i for begin, end in ranges for i in range(begin, end)})
        f1 = span_metric(predicted, gold)
        progress(f"span word drop {drop}: trial span F1 {f1:.3f}")
        best = max(best, (f1, drop))

    path = encoder.directory / CONFIG_FILE
    payload = json.loads(path.read_text())
    payload["flag_thresholds"] = thresholds
    payload["auto_threshold"] = auto
    payload["span_word_drop"] = best[1]
    payload["span_min_probability"] = 0.3
    payload["card"]["calibration"] = {
        "flag_thresholds": RULE,
        "ucc_val_flagged_share": round(float(flags.mean()), 4),
        "ucc_val_healthy_flagged_share": round(float(flags[healthy].mean()), 4),
        "auto_threshold": f"{AUTO_RECALL:.0%} of UCC val accurate-tier flags reach the accurate tier",
        "span_trial_f1": round(best[0], 4),
    }
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    progress(f"thresholds {thresholds}; auto {auto}; span word drop {best[1]} (trial F1 {best[0]:.3f})")
    return EncoderArtifact.load(encoder.directory, encoder.threads)
