"""How far the fast tier's flag thresholds could move it on C3 (evaluation data: reported, never chosen).

    python bench/c3_operating_points.py [--data ../shared/data]

Prints the shipped rule's shares of C3 comments flagged (no rater found toxic / crowd toxicity >= 3), and
the best toxic share that C3 itself would allow at a 2% or 3% false-flag budget: all flagging thresholds
moved together (in logit units), or TOXICITY alone. These oracle figures are upper bounds for any
threshold rule, so they tell whether a missed C3 goal is the thresholds' or the model's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES, FLAGGING_ATTRIBUTES
from threadguard.datasets.loaders import load
from threadguard.scorer import Scorer


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p / (1 - p))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="../shared/data (default: found as tests do)")
    args = parser.parse_args()
    c3 = load("c3", args.data)
    scorer = Scorer.load(tier="fast")
    probabilities = scorer.predict_proba(c3["text"].tolist())
    level = c3["crowd_toxicity_level"].to_numpy(float)
    clean, toxic = level == 1.0, level >= 3.0
    columns = [ATTRIBUTES.index(a) for a in FLAGGING_ATTRIBUTES]
    cut = np.array([scorer.flag_thresholds[a] for a in FLAGGING_ATTRIBUTES])
    margin = (logit(probabilities[:, columns]) - logit(cut)).max(axis=1)  # > 0: flagged
    toxicity = probabilities[:, ATTRIBUTES.index("TOXICITY")]
    print(f"C3: {clean.sum():,} comments no rater found toxic, {toxic.sum():,} with crowd toxicity >= 3")
    rows = [(f"shipped ({scorer.version})", np.mean(margin[clean] >= 0), np.mean(margin[toxic] >= 0))]
    for budget in (0.02, 0.03):
        shift = np.quantile(margin[clean], 1 - budget)
        rows.append(("all thresholds moved together, chosen on C3", budget, np.mean(margin[toxic] > shift)))
        t = np.quantile(toxicity[clean], 1 - budget)
        rows.append((f"TOXICITY >= {t:.3f} alone, chosen on C3", budget, np.mean(toxicity[toxic] > t)))
    print("| rule | false flags | toxic flagged |\n|---|---|---|")
    for rule, false_flags, flagged in rows:
        print(f"| {rule} | {false_flags:.1%} | {flagged:.1%} |")


if __name__ == "__main__":
    main()
