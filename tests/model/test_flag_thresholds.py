"""The flag-threshold rule both tiers share, on plain arrays."""

from __future__ import annotations

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.model.flag_thresholds import flag_thresholds, flagged


def test_flag_thresholds_let_the_chosen_share_of_healthy_comments_through_and_never_go_below_half() -> None:
    rng = np.random.default_rng(0)
    healthy = rng.random((10_000, len(ATTRIBUTES))) * 0.9 + 0.1  # the top 0.4% sit near 0.996
    thresholds = flag_thresholds(healthy, share=0.004)
    for j, name in enumerate(ATTRIBUTES):
        assert abs((healthy[:, j] >= thresholds[name]).mean() - 0.004) < 0.002
    assert flag_thresholds(np.zeros((100, len(ATTRIBUTES))))["THREAT"] == 0.5


def test_flagged_rows_are_those_over_a_flagging_attribute_and_profanity_alone_never_flags() -> None:
    thresholds = {name: 0.5 for name in ATTRIBUTES} | {"TOXICITY": 0.8}
    rows = np.zeros((3, len(ATTRIBUTES)))
    rows[0, ATTRIBUTES.index("TOXICITY")] = 0.7  # under its own raised threshold
    rows[1, ATTRIBUTES.index("THREAT")] = 0.5
    rows[2, ATTRIBUTES.index("PROFANITY")] = 0.99
    assert flagged(rows, thresholds).tolist() == [False, True, False]
