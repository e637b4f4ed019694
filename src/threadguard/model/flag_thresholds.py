"""Flag thresholds chosen on development news comments, by one rule for both tiers.

News comments that raters called healthy must rarely be flagged, so each attribute's threshold is the
`1 - HEALTHY_FLAG_SHARE` quantile of its probability over UCC `val` comments labelled healthy and not
hostile (never below 0.5). UCC `val` chooses thresholds only: its licence forbids training on it, and
UCC `test` is where the evaluation report measures.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES, FLAGGING_ATTRIBUTES
from threadguard.datasets.loaders import load

HEALTHY_FLAG_SHARE = 0.004  # per attribute; the union over the flagging attributes stays near 1-2 %
RULE = f"UCC val healthy comments, {HEALTHY_FLAG_SHARE:.1%} per attribute above"


def flag_thresholds(probabilities: np.ndarray, share: float = HEALTHY_FLAG_SHARE) -> dict[str, float]:
    """Per attribute: the (1 - share) quantile over comments known to be healthy, at least 0.5."""
    return {
        name: round(float(max(0.5, np.quantile(probabilities[:, j], 1 - share))), 4)
        for j, name in enumerate(ATTRIBUTES)
    }


def flagged(probabilities: np.ndarray, thresholds: dict[str, float]) -> np.ndarray:
    """Rows of attribute probabilities (ATTRIBUTES order) that some flagging attribute flags."""
    columns = [ATTRIBUTES.index(a) for a in FLAGGING_ATTRIBUTES]
    cut = np.array([thresholds[a] for a in FLAGGING_ATTRIBUTES])
    return (probabilities[:, columns] >= cut).any(axis=1)


def ucc_val(data_dir: Path | None) -> tuple[list[str], np.ndarray]:
    """UCC `val` texts and which of them raters called healthy and not hostile."""
    ucc = load("ucc", data_dir)
    val = ucc[ucc["split"] == "val"].reset_index(drop=True)
    return val["text"].tolist(), ((val["healthy"] == 1) & (val["hostile"] == 0)).to_numpy()
