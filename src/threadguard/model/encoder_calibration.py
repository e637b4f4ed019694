"""Choose the accurate tier's thresholds on development data only, and write them into its config.

- Flag thresholds: news comments that raters called healthy must rarely be flagged, so each
  attribute's threshold is the `1 - HEALTHY_FLAG_SHARE` quantile of its probability over UCC `val`
  comments labelled healthy and not hostile (never below 0.5). UCC `val` chooses thresholds only; its
  licence forbids training on it, and UCC `test` is where the eval report measures.
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

from threadguard.attributes import ATTRIBUTES, FLAGGING_ATTRIBUTES
from threadguard.datasets.loaders import load
from threadguard.model.encoder import CONFIG_FILE, EncoderArtifact
from threadguard.model.linear import sigmoid
from threadguard.model.train import SpanMetric

HEALTHY_FLAG_SHARE = 0.004  # per attribute; the union over seven attributes stays near 1-2 %
AUTO_RECALL = 0.98
SPAN_DROPS = (0.01, 0.02, 0.03, 0.05, 0.1)
SPAN_TRIAL_ROWS = 400


def flag_thresholds(probabilities: np.ndarray, share: float = HEALTHY_FLAG_SHARE) -> dict[str, float]:
    """Per attribute: the (1 - share) quantile over comments known to be healthy, at least 0.5."""
    return {
        name: round(float(max(0.5, np.quantile(probabilities[:, j], 1 - share))), 4)
        for j, name in enumerate(ATTRIBUTES)
    }


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

    ucc = load("ucc", data_dir)
    val = ucc[ucc["split"] == "val"].reset_index(drop=True)
    progress(f"choosing flag thresholds on {len(val):,} UCC val comments")
    probabilities = sigmoid(encoder.logits(val["text"].tolist())[:, : len(ATTRIBUTES)])
    healthy = ((val["healthy"] == 1) & (val["hostile"] == 0)).to_numpy()
    thresholds = flag_thresholds(probabilities[healthy])
    columns = [ATTRIBUTES.index(a) for a in FLAGGING_ATTRIBUTES]
    cut = np.array([thresholds[a] for a in FLAGGING_ATTRIBUTES])
    flagged = (probabilities[:, columns] >= cut).any(axis=1)
    fast = fast_proba(val["text"].tolist()).max(axis=1)
    auto = auto_threshold(fast, flagged)

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
        "flag_thresholds": f"UCC val healthy comments, {HEALTHY_FLAG_SHARE:.1%} per attribute above",
        "ucc_val_flagged_share": round(float(flagged.mean()), 4),
        "ucc_val_healthy_flagged_share": round(float(flagged[healthy].mean()), 4),
        "auto_threshold": f"{AUTO_RECALL:.0%} of UCC val accurate-tier flags reach the accurate tier",
        "span_trial_f1": round(best[0], 4),
    }
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    progress(f"thresholds {thresholds}; auto {auto}; span word drop {best[1]} (trial F1 {best[0]:.3f})")
    return EncoderArtifact.load(encoder.directory, encoder.threads)
