"""Evaluation metrics as plain functions on arrays: ROC-AUC, F1, the Jigsaw unintended-bias AUCs,
SemEval-2021 toxic-spans F1 and calibration error. Each follows the definition its benchmark uses, so
numbers are comparable with published anchors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.metrics import roc_auc_score


def _binary(y_true: ArrayLike) -> NDArray[np.int_]:
    y = np.asarray(y_true)
    if y.dtype == bool:
        return y.astype(int)
    values = set(np.unique(y).tolist())
    if not values <= {0, 1}:
        raise ValueError(f"binary labels expected (0/1 or bool), got values {sorted(values)[:5]}")
    return y.astype(int)


def _pair(y_true: ArrayLike, scores: ArrayLike) -> tuple[NDArray[np.int_], NDArray[np.float64]]:
    y = _binary(y_true)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"y_true and scores must be 1-D of equal length, got {y.shape} and {s.shape}")
    return y, s


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve; a set with one class has no AUC, which is an error, not 0.5."""
    y, s = _pair(y_true, scores)
    if y.min(initial=1) == y.max(initial=0):
        raise ValueError(f"ROC-AUC needs positive and negative examples; got {len(y)} rows of one class")
    return float(roc_auc_score(y, s))


def macro_f1(y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[object] | None = None) -> float:
    """Unweighted mean of per-class F1 over `labels` (default: every class in y_true or y_pred).

    Same result as sklearn's f1_score(average="macro", zero_division=0), but cheap enough to call
    thousands of times while searching thresholds.
    """
    truth, pred = np.asarray(y_true), np.asarray(y_pred)
    if truth.shape != pred.shape or truth.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D of equal length, got {truth.shape} and {pred.shape}")
    classes = np.unique(np.concatenate([truth, pred])) if labels is None else np.asarray(labels)
    scores = []
    for label in classes:
        is_true, is_pred = truth == label, pred == label
        tp = np.sum(is_true & is_pred)
        denominator = is_true.sum() + is_pred.sum()
        scores.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(scores))


def best_threshold_f1(
    y_true: ArrayLike, scores: ArrayLike, average: Literal["binary", "macro"] = "binary"
) -> tuple[float, float]:
    """The threshold t (predict positive when score >= t) that maximises F1 on a DEV split, and that F1.

    `average="macro"` maximises the mean F1 of both classes, as HatEval and OffensEval rank systems.
    Candidates are the distinct scores plus +inf (predict nothing positive); ties go to the higher t.
    """
    y, s = _pair(y_true, scores)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    # Predicting the top k rows as positive; only k at the end of a run of equal scores is reachable.
    last_of_run = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    tp = np.r_[0, np.cumsum(y_sorted)[last_of_run]]
    fp = np.r_[0, np.cumsum(1 - y_sorted)[last_of_run]]
    thresholds = np.r_[np.inf, s_sorted[last_of_run]]
    positives, negatives = y.sum(), len(y) - y.sum()
    fn, tn = positives - tp, negatives - fp
    f1_pos = _safe_ratio(2 * tp, 2 * tp + fp + fn)
    f1 = f1_pos if average == "binary" else (f1_pos + _safe_ratio(2 * tn, 2 * tn + fn + fp)) / 2
    best = int(np.flatnonzero(f1 == f1.max())[0])
    return float(thresholds[best]), float(f1[best])


def _safe_ratio(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.divide(num, den, out=np.zeros(len(num), dtype=float), where=den > 0)


def false_positive_rate_at(y_true: ArrayLike, scores: ArrayLike, threshold: float) -> float:
    """Share of negative rows scored >= threshold (non-toxic identity templates a moderator would see)."""
    y, s = _pair(y_true, scores)
    negatives = s[y == 0]
    if len(negatives) == 0:
        raise ValueError("false positive rate needs at least one negative example")
    return float(np.mean(negatives >= threshold))


# --- Jigsaw unintended bias (Borkan et al. 2019; Jigsaw Unintended Bias in Toxicity Classification) ---


def subgroup_auc(y_true: ArrayLike, scores: ArrayLike, in_subgroup: ArrayLike) -> float:
    """AUC within the identity subgroup only: does the model rank toxic above non-toxic mentions of it?"""
    y, s = _pair(y_true, scores)
    mask = np.asarray(in_subgroup, dtype=bool)
    return roc_auc(y[mask], s[mask])


def bpsn_auc(y_true: ArrayLike, scores: ArrayLike, in_subgroup: ArrayLike) -> float:
    """Background Positive, Subgroup Negative: low when non-toxic mentions of the group score high."""
    y, s = _pair(y_true, scores)
    mask = np.asarray(in_subgroup, dtype=bool)
    keep = (mask & (y == 0)) | (~mask & (y == 1))
    return roc_auc(y[keep], s[keep])


def bnsp_auc(y_true: ArrayLike, scores: ArrayLike, in_subgroup: ArrayLike) -> float:
    """Background Negative, Subgroup Positive: low when toxic mentions of the group score low."""
    y, s = _pair(y_true, scores)
    mask = np.asarray(in_subgroup, dtype=bool)
    keep = (mask & (y == 1)) | (~mask & (y == 0))
    return roc_auc(y[keep], s[keep])


def power_mean(values: Iterable[float], p: float = -5.0) -> float:
    """Generalised mean (mean of v**p) ** (1/p); p = -5 weights the worst subgroup most, as Jigsaw did."""
    v = np.asarray(list(values), dtype=float)
    if len(v) == 0 or np.any(v < 0):
        raise ValueError("power mean needs at least one value, none negative")
    if p < 0 and np.any(v == 0):
        return 0.0  # the limit: one subgroup at AUC 0 drags a negative-power mean to 0
    return float(np.mean(v**p) ** (1.0 / p))


def identity_bias_metrics(
    y_true: ArrayLike, scores: ArrayLike, identities: Sequence[str | None], p: float = -5.0
) -> dict[str, Any]:
    """Per-identity subgroup / BPSN / BNSP AUCs, their power means, and the Jigsaw final score
    (0.25 * overall AUC + 0.25 * each power mean). Rows with identity None only count as background."""
    y, s = _pair(y_true, scores)
    ids = np.asarray([i if i is not None else "" for i in identities], dtype=object)
    per_identity: dict[str, dict[str, float]] = {}
    for name in sorted({i for i in identities if i}):
        mask = ids == name
        per_identity[name] = {
            "size": int(mask.sum()),
            "subgroup_auc": subgroup_auc(y, s, mask),
            "bpsn_auc": bpsn_auc(y, s, mask),
            "bnsp_auc": bnsp_auc(y, s, mask),
        }
    overall = roc_auc(y, s)
    means = {
        metric: power_mean((row[metric] for row in per_identity.values()), p)
        for metric in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
    }
    final = 0.25 * overall + 0.25 * sum(means.values())
    return {"overall_auc": overall, "power_means": means, "final_score": final, "per_identity": per_identity}


# --- SemEval-2021 Task 5, toxic spans ---


def span_f1(pred_offsets: set[int], gold_offsets: set[int]) -> float:
    """Per-post character-offset F1 as in SemEval-2021 Task 5: both empty = 1.0, one empty = 0.0."""
    if not pred_offsets and not gold_offsets:
        return 1.0
    if not pred_offsets or not gold_offsets:
        return 0.0
    overlap = len(pred_offsets & gold_offsets)
    return 2 * overlap / (len(pred_offsets) + len(gold_offsets))


def mean_span_f1(preds: Sequence[Iterable[int]], golds: Sequence[Iterable[int]]) -> float:
    """The task's score: span_f1 averaged over posts."""
    if len(preds) != len(golds) or not golds:
        raise ValueError(f"need equally many predictions and gold posts, got {len(preds)} and {len(golds)}")
    return float(np.mean([span_f1(set(p), set(g)) for p, g in zip(preds, golds, strict=True)]))


# --- Calibration ---


def calibration_bins(
    y_true: ArrayLike, probs: ArrayLike, n_bins: int = 10
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int_]]:
    """Per equal-width probability bin: mean predicted probability, observed positive rate, row count
    (NaN where a bin is empty). The data behind a reliability diagram."""
    y, s = _pair(y_true, probs)
    if np.any((s < 0) | (s > 1)):
        raise ValueError("calibration needs probabilities in [0, 1]")
    bins = np.minimum((s * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        confidence = np.bincount(bins, weights=s, minlength=n_bins) / counts
        observed = np.bincount(bins, weights=y, minlength=n_bins) / counts
    return confidence, observed, counts


def expected_calibration_error(y_true: ArrayLike, probs: ArrayLike, n_bins: int = 10) -> float:
    """Row-weighted mean |observed positive rate - mean probability| over equal-width bins."""
    confidence, observed, counts = calibration_bins(y_true, probs, n_bins)
    filled = counts > 0
    return float(np.sum(counts[filled] * np.abs(observed[filled] - confidence[filled])) / counts.sum())
