"""The benchmark suite behind `threadguard eval`: every evaluation set, its metric, its published anchor
and our goal, for threadguard and for the alt-profanity-check baseline scored on the same rows.

Rules that keep the numbers honest:
- only evaluation data is scored; decision thresholds for F1 tasks are chosen on each set's
  train/val/trial split, never on its test split, and are written into the report;
- Perspective's scores (`api` in Wikipedia gn) are only compared against, never used to choose anything.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.metrics import roc_curve

from threadguard.attributes import ATTRIBUTES
from threadguard.datasets import dedupe_key, load
from threadguard.eval.metrics import (
    best_threshold_f1,
    calibration_bins,
    expected_calibration_error,
    identity_bias_metrics,
    macro_f1,
    mean_span_f1,
    roc_auc,
)
from threadguard.eval.report import write_report
from threadguard.scores import CommentScore
from threadguard.text.utf16 import Utf16Index

BASELINE = "alt-profanity-check"
COLUMN = {name: i for i, name in enumerate(ATTRIBUTES)}
FLAG_THRESHOLD = 0.5
"""alt-profanity-check flags a text when its probability >= this; our models use their own flag rule."""


class ScorerLike(Protocol):
    """What the suite needs from a model: threadguard's Scorer, or any object with the same three members."""

    version: str

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]: ...

    def score(self, texts: Sequence[str]) -> list[CommentScore]: ...

    def is_flagged(self, attributes: Mapping[str, float]) -> bool: ...


Baseline = Callable[[Sequence[str]], NDArray[np.float64]]


def profanity_check_baseline() -> Baseline:
    """alt-profanity-check's probability (one score per text; it has no attributes and no spans)."""
    try:
        from profanity_check import predict_prob
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the baseline needs alt-profanity-check: pip install 'threadguard[eval]'"
        ) from error
    return lambda texts: np.asarray(predict_prob(list(texts)), dtype=float)


class _Run:
    """One suite run: the model (timed, for the throughput aside), the baseline and the row limit."""

    def __init__(
        self, scorer: ScorerLike, baseline: Baseline | None, data_dir: Path | None, limit: int | None
    ) -> None:
        self.scorer = scorer
        self.baseline_fn = baseline
        self.data_dir = data_dir
        self.limit = limit
        self.seconds = 0.0
        self.texts = 0

    def load(self, name: str) -> pd.DataFrame:
        return load(name, self.data_dir)

    def proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        texts = list(texts)
        start = time.perf_counter()
        probs = np.asarray(self.scorer.predict_proba(texts), dtype=float)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        if probs.shape != (len(texts), len(ATTRIBUTES)):
            raise ValueError(
                f"predict_proba gave shape {probs.shape}, expected ({len(texts)}, {len(ATTRIBUTES)})"
            )
        return probs

    def score(self, texts: Sequence[str]) -> list[CommentScore]:
        texts = list(texts)
        start = time.perf_counter()
        results = self.scorer.score(texts)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return results

    def flags(self, probabilities: NDArray[np.float64]) -> NDArray[np.bool_]:
        """The model's own flag rule on each row of attribute probabilities."""
        return np.array(
            [self.scorer.is_flagged(dict(zip(ATTRIBUTES, row, strict=True))) for row in probabilities]
        )

    def baseline(self, texts: Sequence[str]) -> NDArray[np.float64] | None:
        return None if self.baseline_fn is None else self.baseline_fn(list(texts))

    def take(self, frame: pd.DataFrame, label: str | None = None) -> pd.DataFrame:
        """At most `limit` rows, classes of `label` balanced so every metric stays defined (quick runs)."""
        if self.limit is None or len(frame) <= self.limit:
            return frame
        if label is None:
            return frame.sample(self.limit, random_state=0).sort_index()
        groups = [group for _, group in frame.groupby(label)]
        per_class = max(1, self.limit // len(groups))
        return pd.concat(g.sample(min(per_class, len(g)), random_state=0) for g in groups).sort_index()


# --- building blocks of a task result ---


def _metric(
    name: str,
    threadguard: float | None,
    baseline: float | None,
    anchor: float | None = None,
    anchor_source: str = "",
    goal: float | None = None,
    goal_op: str = ">=",
    fmt: str = "float",
) -> dict[str, Any]:
    return {
        "metric": name,
        "threadguard": threadguard,
        "baseline": baseline,
        "anchor": anchor,
        "anchor_source": anchor_source,
        "goal": goal,
        "goal_op": goal_op,
        "format": fmt,
    }


def _thin(
    x: NDArray[np.float64], y: NDArray[np.float64], points: int = 300
) -> tuple[list[float], list[float]]:
    if len(x) > points:
        keep = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
        x, y = x[keep], y[keep]
    return [round(float(v), 5) for v in x], [round(float(v), 5) for v in y]


def _curves(
    y: NDArray[np.int_], scores: dict[str, NDArray[np.float64] | None], target: str
) -> dict[str, Any]:
    """ROC points and reliability bins for each scorer of one binary target (for the report's figures)."""
    roc: dict[str, Any] = {}
    calibration: dict[str, Any] = {}
    for name, s in scores.items():
        if s is None:
            continue
        fpr, tpr, _ = roc_curve(y, s)
        fpr_points, tpr_points = _thin(fpr, tpr)
        roc[name] = {"fpr": fpr_points, "tpr": tpr_points, "auc": roc_auc(y, s)}
        confidence, observed, counts = calibration_bins(y, s)
        calibration[name] = {
            "confidence": [None if np.isnan(v) else round(float(v), 5) for v in confidence],
            "observed": [None if np.isnan(v) else round(float(v), 5) for v in observed],
            "counts": counts.tolist(),
            "ece": expected_calibration_error(y, s),
        }
    return {"target": target, "roc": roc, "calibration": calibration}


def _task(
    title: str, dataset: str, rows: int, notes: list[str], metrics: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {"title": title, "dataset": dataset, "rows": rows, "notes": notes, "metrics": metrics, **extra}


def _auc_or_none(y: NDArray[np.int_], s: NDArray[np.float64] | None) -> float | None:
    """ROC-AUC, or None when there is no score (baseline off) or only one class (a tiny `limit` run)."""
    return None if s is None or len(np.unique(y)) < 2 else roc_auc(y, s)


# --- tasks ---


def wikipedia_gn(run: _Run) -> dict[str, Any]:
    """TOXICITY ROC-AUC on Wikipedia talk comments rated without context, Perspective side by side."""
    frame = run.take(run.load("wikipedia_gn"), "label")
    y = frame["label"].to_numpy(int)
    ours = run.proba(frame["text"])[:, COLUMN["TOXICITY"]]
    base = run.baseline(frame["text"])
    perspective = frame["api"].to_numpy(float)
    return _task(
        "Wikipedia talk comments, no context (gn)",
        "wikipedia_gn",
        len(frame),
        [
            f"{int(y.sum()):,} toxic of {len(y):,}. Anchor = Perspective's TOXICITY (`api` column, scored by "
            "the dataset authors in 2020) on exactly these rows; documented value 0.939 on all 10,000.",
        ],
        [
            _metric(
                "TOXICITY ROC-AUC",
                roc_auc(y, ours),
                _auc_or_none(y, base),
                roc_auc(y, perspective),
                "Perspective, same rows",
                0.945,
            )
        ],
        positives=int(y.sum()),
        curves=_curves(y, {"threadguard": ours, BASELINE: base, "Perspective": perspective}, "toxic"),
    )


def jigsaw_bias_madlibs(run: _Run) -> dict[str, Any]:
    """Identity-term bias on the 77k madlibs templates: overall AUC, worst subgroup AUC, false alarms."""
    frame = run.load("jigsaw_bias_madlibs")
    if run.limit is not None:  # keep every identity with both classes, so subgroup AUCs stay defined
        per_cell = max(1, run.limit // 100)
        frame = frame.groupby(["identity", "toxic"], dropna=False).head(per_cell).sort_index()
    y = frame["toxic"].to_numpy(int)
    identities = [i if isinstance(i, str) else None for i in frame["identity"]]
    names = np.asarray(identities, dtype=object)
    non_toxic_identity = (y == 0) & frame["identity"].notna().to_numpy()
    probabilities = run.proba(frame["text"])
    ours = probabilities[:, COLUMN["TOXICITY"]]
    base = run.baseline(frame["text"])

    def summarise(s: NDArray[np.float64], flags: NDArray[np.bool_]) -> dict[str, Any]:
        bias = identity_bias_metrics(y, s, identities)
        per = bias["per_identity"]
        flagged = {name: float(np.mean(flags[(names == name) & (y == 0)])) for name in per}
        worst = min(per, key=lambda n: per[n]["subgroup_auc"])
        return {
            **bias,
            "min_subgroup_auc": per[worst]["subgroup_auc"],
            "worst_identity": worst,
            "min_bpsn_auc": min(row["bpsn_auc"] for row in per.values()),
            "flagged_share": float(np.mean(flags[non_toxic_identity])),
            "flagged_share_per_identity": flagged,
        }

    ours_bias = summarise(ours, run.flags(probabilities))
    base_bias = summarise(base, base >= FLAG_THRESHOLD) if base is not None else None

    def pick(key: str) -> float | None:
        return None if base_bias is None else base_bias[key]

    worst_rows = sorted(ours_bias["per_identity"].items(), key=lambda kv: kv[1]["subgroup_auc"])[:8]
    return _task(
        "Jigsaw identity-bias madlibs (77k templates)",
        "jigsaw_bias_madlibs",
        len(frame),
        [
            "TOXICITY vs the template's BAD/NOT_BAD label. Subgroup, BPSN and BNSP AUCs per identity term "
            "(Borkan et al. 2019); power means with p = -5 as in the Jigsaw Unintended Bias competition. "
            "'Flagged' = the model's own flag rule (alt-profanity-check: p >= "
            f"{FLAG_THRESHOLD}) on a non-toxic sentence that names an identity (occupation templates "
            "excluded).",
            f"Worst subgroup for threadguard: {ours_bias['worst_identity']}.",
        ],
        [
            _metric(
                "TOXICITY ROC-AUC, all templates", ours_bias["overall_auc"], pick("overall_auc"), goal=0.98
            ),
            _metric(
                "min subgroup AUC over identities",
                ours_bias["min_subgroup_auc"],
                pick("min_subgroup_auc"),
                goal=0.95,
            ),
            _metric(
                "non-toxic identity templates flagged",
                ours_bias["flagged_share"],
                pick("flagged_share"),
                goal=0.03,
                goal_op="<=",
                fmt="pct",
            ),
            _metric("min BPSN AUC over identities", ours_bias["min_bpsn_auc"], pick("min_bpsn_auc")),
            _metric(
                "Jigsaw bias score (0.25 AUC + 0.25 x 3 power means)",
                ours_bias["final_score"],
                pick("final_score"),
            ),
        ],
        positives=int(y.sum()),
        worst_identities=[
            {"identity": name, **row, "flagged_share": ours_bias["flagged_share_per_identity"][name]}
            for name, row in worst_rows
        ],
        bias={"threadguard": ours_bias, BASELINE: base_bias},
        curves=_curves(y, {"threadguard": ours, BASELINE: base}, "toxic"),
    )


def ucc(run: _Run) -> dict[str, Any]:
    """Globe and Mail comments: TOXICITY against UCC hostile / antagonize / unfair generalisation."""
    frame = run.take(run.load("ucc").query("split == 'test'"), "hostile")
    ours = run.proba(frame["text"])[:, COLUMN["TOXICITY"]]
    base = run.baseline(frame["text"])
    metrics = []
    for label, goal in (("hostile", 0.85), ("antagonize", None), ("generalisation_unfair", None)):
        known = frame[label].notna().to_numpy()
        y = frame[label].to_numpy(float)[known].astype(int)
        metrics.append(
            _metric(
                f"TOXICITY ROC-AUC vs {label}",
                _auc_or_none(y, ours[known]),
                _auc_or_none(y, None if base is None else base[known]),
                goal=goal,
            )
        )
    y_hostile = frame["hostile"].to_numpy(int)
    return _task(
        "Unhealthy Comments Corpus, test (Globe and Mail)",
        "ucc",
        len(frame),
        [
            f"{int(y_hostile.sum()):,} hostile of {len(frame):,}. UCC labels subtle incivility; hostile is "
            "the closest to toxicity. Non-commercial licence: evaluation only."
        ],
        metrics,
        curves=_curves(y_hostile, {"threadguard": ours, BASELINE: base}, "hostile"),
    )


def c3_socc(run: _Run) -> dict[str, Any]:
    """Globe and Mail comments: TOXICITY against crowd toxicity >= 2 (C3 mean, SOCC popular answer)."""
    c3 = run.load("c3").assign(y=lambda f: (f["crowd_toxicity_level"] >= 2).astype(int))
    socc = run.load("socc").assign(y=lambda f: (f["toxicity_level"] >= 2).astype(int))
    c3, socc = run.take(c3, "y"), run.take(socc, "y")
    c3_keys = set(c3["text"].map(dedupe_key))
    socc_only = ~socc["text"].map(dedupe_key).isin(c3_keys).to_numpy()
    texts = [*c3["text"], *socc["text"]]
    probabilities = run.proba(texts)
    ours = probabilities[:, COLUMN["TOXICITY"]]
    base = run.baseline(texts)
    n = len(c3)
    flagged = run.flags(probabilities[:n])
    level = c3["crowd_toxicity_level"].to_numpy(float)
    clean, toxic = level == 1.0, level >= 3.0

    def flag_share(which: NDArray[np.bool_], flags: NDArray[np.bool_] | None) -> float | None:
        return float(flags[which].mean()) if flags is not None and which.any() else None

    base_flags = None if base is None else base[:n] >= FLAG_THRESHOLD
    y_c3, y_socc = c3["y"].to_numpy(int), socc["y"].to_numpy(int)
    combined = np.r_[np.ones(n, bool), socc_only]
    y_all = np.r_[y_c3, y_socc][combined]

    def part(s: NDArray[np.float64] | None, which: str) -> float | None:
        if s is None:
            return None
        if which == "c3":
            return roc_auc(y_c3, s[:n])
        if which == "socc":
            return roc_auc(y_socc, s[n:])
        return roc_auc(y_all, s[combined])

    return _task(
        "Globe and Mail comments: C3 and SOCC toxicity level >= 2",
        "c3+socc",
        int(combined.sum()),
        [
            f"C3: {n:,} rows, {int(y_c3.sum()):,} with mean crowd toxicity >= 2. SOCC: {len(socc):,} rows, "
            f"{int(y_socc.sum()):,} whose most popular answer is >= 2 (mildly toxic or worse). Combined "
            f"drops {int((~socc_only).sum())} SOCC comments also in C3. Non-commercial licences: "
            "evaluation only. Flag shares use the model's own flag rule (alt-profanity-check: p >= "
            f"{FLAG_THRESHOLD}).",
        ],
        [
            _metric("TOXICITY ROC-AUC, C3", part(ours, "c3"), part(base, "c3")),
            _metric("TOXICITY ROC-AUC, SOCC", part(ours, "socc"), part(base, "socc")),
            _metric("TOXICITY ROC-AUC, C3 + SOCC", part(ours, "all"), part(base, "all")),
            _metric(
                f"C3 flagged, crowd toxicity 1.0 ({int(clean.sum()):,} comments no rater found toxic)",
                flag_share(clean, flagged),
                flag_share(clean, base_flags),
                goal=0.02,
                goal_op="<=",
                fmt="pct",
            ),
            _metric(
                f"C3 flagged, crowd toxicity >= 3 ({int(toxic.sum()):,} comments)",
                flag_share(toxic, flagged),
                flag_share(toxic, base_flags),
                goal=0.85,
                fmt="pct",
            ),
        ],
        curves=_curves(
            y_all,
            {"threadguard": ours[combined], BASELINE: None if base is None else base[combined]},
            "toxicity level >= 2",
        ),
    )


def kaggle_insults(run: _Run) -> dict[str, Any]:
    """INSULT ROC-AUC on the Impermium verification set (the competition's final ranking set)."""
    frame = run.take(run.load("kaggle_insults").query("split == 'test'"), "Insult")
    y = frame["Insult"].to_numpy(int)
    ours = run.proba(frame["text"])[:, COLUMN["INSULT"]]
    base = run.baseline(frame["text"])
    return _task(
        "Kaggle / Impermium insults, verification set",
        "kaggle_insults",
        len(frame),
        [
            f"{int(y.sum()):,} insults of {len(y):,}. Test = impermium_verification_labels (the final "
            "ranking set); anchor = the winning entry's AUC. Insult means an insult to a participant, not "
            "general toxicity. Evaluation only (licence not stated)."
        ],
        [
            _metric(
                "INSULT ROC-AUC", roc_auc(y, ours), _auc_or_none(y, base), 0.842, "Kaggle 2012 winner", 0.85
            )
        ],
        positives=int(y.sum()),
        curves=_curves(y, {"threadguard": ours, BASELINE: base}, "insult"),
    )


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _predicted_offsets(text: str, result: CommentScore) -> set[int]:
    """Code-point offsets covered by the scorer's TOXICITY spans (which come in UTF-16 offsets)."""
    index = Utf16Index(text)
    offsets: set[int] = set()
    for span in result.spans.get("TOXICITY", []):
        offsets.update(range(index.to_index(span.begin), index.to_index(span.end)))
    return offsets


def _baseline_offsets(texts: Sequence[str], baseline: Baseline) -> list[list[tuple[int, int, float]]]:
    """Every word of every text with alt-profanity-check's probability for that word alone."""
    words_per_text = [[(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(t)] for t in texts]
    unique = sorted({w for words in words_per_text for _, _, w in words})
    probability = dict(zip(unique, baseline(unique), strict=True)) if unique else {}
    return [[(s, e, float(probability[w])) for s, e, w in words] for words in words_per_text]


def toxic_spans(run: _Run) -> dict[str, Any]:
    """SemEval-2021 toxic spans, test split: mean per-post character F1 of the TOXICITY spans."""
    frame = run.load("toxic_spans_semeval")
    test = run.take(frame[frame["split"] == "test"])
    gold = [set(s) for s in test["spans"]]
    results = run.score(test["text"])
    predicted = [_predicted_offsets(t, r) for t, r in zip(test["text"], results, strict=True)]
    ours = mean_span_f1(predicted, gold)
    thresholds: dict[str, Any] = {"threadguard": {"rule": "the scorer's own TOXICITY spans"}}
    base_f1 = None
    if run.baseline_fn is not None:
        trial = run.take(frame[frame["split"] == "trial"])
        trial_words = _baseline_offsets(trial["text"], run.baseline_fn)
        trial_gold = [set(s) for s in trial["spans"]]
        grid = np.round(np.arange(0.05, 1.0, 0.05), 2)
        trial_f1 = [mean_span_f1(_words_above(trial_words, t), trial_gold) for t in grid]
        best = float(grid[int(np.argmax(trial_f1))])
        base_f1 = mean_span_f1(_words_above(_baseline_offsets(test["text"], run.baseline_fn), best), gold)
        thresholds[BASELINE] = {
            "rule": "words whose own probability >= t",
            "t": best,
            "chosen_on": f"trial split ({len(trial):,} posts)",
            "trial_span_f1": float(max(trial_f1)),
        }
    empty_gold = sum(1 for g in gold if not g)
    return _task(
        "Toxic spans (SemEval-2021 Task 5), test",
        "toxic_spans_semeval",
        len(test),
        [
            f"{len(test):,} posts, {empty_gold} with no gold span (there, predicting nothing scores 1.0). "
            "Offsets are code points: threadguard's UTF-16 span offsets are converted with Utf16Index.",
            f"threadguard predicted no span on {sum(1 for p in predicted if not p)} posts.",
        ],
        [_metric("mean span F1 (character level)", ours, base_f1, 0.708, "SemEval-2021 winner", 0.70)],
        thresholds=thresholds,
    )


def _words_above(words: list[list[tuple[int, int, float]]], threshold: float) -> list[set[int]]:
    return [{i for s, e, p in text if p >= threshold for i in range(s, e)} for text in words]


_HATEXPLAIN_LABELS = ("hatespeech", "offensive", "normal")


def _hatexplain_rule(
    attack: NDArray[np.float64], toxic: NDArray[np.float64], t1: float, t2: float
) -> NDArray[np.str_]:
    """hatespeech if IDENTITY_ATTACK >= t1, else offensive if TOXICITY >= t2, else normal."""
    return np.where(attack >= t1, "hatespeech", np.where(toxic >= t2, "offensive", "normal"))


def _choose_hatexplain(
    y: NDArray[np.str_], attack: NDArray[np.float64], toxic: NDArray[np.float64]
) -> tuple[float, float, float]:
    """(t1, t2, macro-F1) maximising macro-F1 on the dev rows, over 41 quantiles of each score."""
    grid = np.linspace(0, 1, 41)
    best = (1.0, 1.0, -1.0)
    for t1 in np.unique(np.quantile(attack, grid)):
        for t2 in np.unique(np.quantile(toxic, grid)):
            f1 = macro_f1(y, _hatexplain_rule(attack, toxic, t1, t2), labels=list(_HATEXPLAIN_LABELS))
            if f1 > best[2]:
                best = (float(t1), float(t2), f1)
    return best


def hatexplain(run: _Run) -> dict[str, Any]:
    """3-class macro-F1 on HateXplain test, thresholds chosen on its val split."""
    frame = run.load("hatexplain_majority")
    val = run.take(frame[frame["split"] == "val"], "label")
    test = run.take(frame[frame["split"] == "test"], "label")
    probs = run.proba([*val["text"], *test["text"]])
    val_p, test_p = probs[: len(val)], probs[len(val) :]
    y_val, y_test = val["label"].to_numpy(str), test["label"].to_numpy(str)
    labels = list(_HATEXPLAIN_LABELS)

    t1, t2, dev = _choose_hatexplain(y_val, val_p[:, COLUMN["IDENTITY_ATTACK"]], val_p[:, COLUMN["TOXICITY"]])
    pred = _hatexplain_rule(test_p[:, COLUMN["IDENTITY_ATTACK"]], test_p[:, COLUMN["TOXICITY"]], t1, t2)
    ours = macro_f1(y_test, pred, labels=labels)
    thresholds: dict[str, Any] = {
        "threadguard": {
            "IDENTITY_ATTACK": t1,
            "TOXICITY": t2,
            "chosen_on": f"val ({len(val):,} rows)",
            "val_macro_f1": dev,
        },
    }
    base_f1 = None
    base_test = None
    if run.baseline_fn is not None:
        base = run.baseline([*val["text"], *test["text"]])
        base_val, base_test = base[: len(val)], base[len(val) :]
        b1, b2, b_dev = _choose_hatexplain(y_val, base_val, base_val)
        base_f1 = macro_f1(y_test, _hatexplain_rule(base_test, base_test, b1, b2), labels=labels)
        thresholds[BASELINE] = {
            "hatespeech": b1,
            "offensive": b2,
            "chosen_on": f"val ({len(val):,} rows)",
            "val_macro_f1": b_dev,
        }
    y_hate = (y_test == "hatespeech").astype(int)
    return _task(
        "HateXplain, test (3 classes)",
        "hatexplain_majority",
        len(test),
        [
            "Rule: hatespeech if IDENTITY_ATTACK >= t1, else offensive if TOXICITY >= t2, else normal; "
            "t1, t2 maximise macro-F1 on the val split. The baseline uses its one score for both thresholds. "
            "Figures: hatespeech vs the rest, scored by IDENTITY_ATTACK."
        ],
        [
            _metric(
                "macro-F1, normal / offensive / hatespeech",
                ours,
                base_f1,
                0.687,
                "HateXplain paper, BERT-HateXplain",
                0.69,
            )
        ],
        thresholds=thresholds,
        curves=_curves(
            y_hate, {"threadguard": test_p[:, COLUMN["IDENTITY_ATTACK"]], BASELINE: base_test}, "hatespeech"
        ),
    )


def _binary_f1_task(
    run: _Run,
    *,
    title: str,
    dataset: str,
    dev: pd.DataFrame,
    test: pd.DataFrame,
    label: Callable[[pd.DataFrame], NDArray[np.int_]],
    attribute: str,
    chosen_on: str,
    anchor: float,
    anchor_source: str,
    goal: float,
    notes: list[str],
) -> dict[str, Any]:
    """Macro-F1 of `attribute >= t` on `test`, with t maximising macro-F1 on `dev`."""
    probs = run.proba([*dev["text"], *test["text"]])[:, COLUMN[attribute]]
    dev_p, test_p = probs[: len(dev)], probs[len(dev) :]
    y_dev, y_test = label(dev), label(test)
    t, dev_f1 = best_threshold_f1(y_dev, dev_p, average="macro")
    ours = macro_f1(y_test, (test_p >= t).astype(int), labels=[0, 1])
    thresholds: dict[str, Any] = {
        "threadguard": {attribute: t, "chosen_on": f"{chosen_on} ({len(dev):,} rows)", "dev_macro_f1": dev_f1}
    }
    base_f1, base_test = None, None
    if run.baseline_fn is not None:
        base = run.baseline([*dev["text"], *test["text"]])
        base_dev, base_test = base[: len(dev)], base[len(dev) :]
        bt, b_dev = best_threshold_f1(y_dev, base_dev, average="macro")
        base_f1 = macro_f1(y_test, (base_test >= bt).astype(int), labels=[0, 1])
        thresholds[BASELINE] = {
            "probability": bt,
            "chosen_on": f"{chosen_on} ({len(dev):,} rows)",
            "dev_macro_f1": b_dev,
        }
    return _task(
        title,
        dataset,
        len(test),
        notes,
        [_metric(f"macro-F1 ({attribute} >= t)", ours, base_f1, anchor, anchor_source, goal)],
        positives=int(y_test.sum()),
        thresholds=thresholds,
        curves=_curves(y_test, {"threadguard": test_p, BASELINE: base_test}, attribute),
    )


def hateval(run: _Run) -> dict[str, Any]:
    """HatEval 2019 (TweetEval hate) test macro-F1, IDENTITY_ATTACK threshold chosen on val."""
    frame = run.load("hateval")
    return _binary_f1_task(
        run,
        title="HatEval 2019 (hate against immigrants and women), test",
        dataset="hateval",
        dev=run.take(frame[frame["split"] == "val"], "label"),
        test=run.take(frame[frame["split"] == "test"], "label"),
        label=lambda f: f["label"].to_numpy(int),
        attribute="IDENTITY_ATTACK",
        chosen_on="val",
        anchor=0.651,
        anchor_source="SemEval-2019 Task 5 winner",
        goal=0.65,
        notes=[
            "Many HatEval 'hate' tweets are generic misogynistic insults; 230 test texts also occur in "
            "train (the test set is used as published)."
        ],
    )


def olid(run: _Run) -> dict[str, Any]:
    """OffensEval 2019 level A test macro-F1, TOXICITY threshold chosen on OLID train."""
    frame = run.load("olid")
    return _binary_f1_task(
        run,
        title="OLID / OffensEval 2019 level A, test",
        dataset="olid",
        dev=run.take(frame[frame["split"] == "train"], "subtask_a"),
        test=run.take(frame[frame["split"] == "test"], "subtask_a"),
        label=lambda f: (f["subtask_a"] == "OFF").to_numpy(int),
        attribute="TOXICITY",
        chosen_on="OLID train",
        anchor=0.829,
        anchor_source="OffensEval 2019 winner",
        goal=0.80,
        notes=[
            "OLID is evaluation-only (licence not stated): the model never trains on it, so choosing the "
            "decision threshold on its train split is allowed and is the only use of that split."
        ],
    )


TASKS: dict[str, Callable[[_Run], dict[str, Any]]] = {
    "wikipedia_gn": wikipedia_gn,
    "jigsaw_bias_madlibs": jigsaw_bias_madlibs,
    "ucc": ucc,
    "c3_socc": c3_socc,
    "kaggle_insults": kaggle_insults,
    "toxic_spans": toxic_spans,
    "hatexplain": hatexplain,
    "hateval": hateval,
    "olid": olid,
}


def run_suite(
    scorer: ScorerLike,
    data_dir: Path | None = None,
    out_dir: Path = Path("reports"),
    baseline: bool = True,
    limit: int | None = None,
    tasks: Sequence[str] | None = None,
    command: str | None = None,
) -> dict[str, Any]:
    """Score every evaluation set, write reports/eval.json, eval.md and figures, and return the results.

    `limit` caps the rows per split (classes balanced) for quick checks; such numbers are not comparable
    with the anchors. `tasks` picks a subset of TASKS.
    """
    names = list(TASKS) if tasks is None else list(tasks)
    unknown = set(names) - set(TASKS)
    if unknown:
        raise KeyError(f"unknown tasks {sorted(unknown)}; known: {', '.join(TASKS)}")
    run = _Run(scorer, profanity_check_baseline() if baseline else None, data_dir, limit)
    results: dict[str, Any] = {
        "model_version": scorer.version,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else " ".join(sys.argv),
        "limit": limit,
        "baseline": BASELINE if baseline else None,
        "tasks": {},
    }
    for name in names:
        results["tasks"][name] = TASKS[name](run)
    results["throughput"] = {
        "texts": run.texts,
        "seconds": run.seconds,
        "texts_per_second": run.texts / run.seconds if run.seconds > 0 else None,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    write_report(results, Path(out_dir))
    return results
