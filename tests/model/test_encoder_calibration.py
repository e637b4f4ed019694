"""The accurate tier's calibration rules, on plain arrays."""

from __future__ import annotations

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.model.encoder_calibration import auto_threshold, flag_thresholds


def test_flag_thresholds_let_the_chosen_share_of_healthy_comments_through_and_never_go_below_half() -> None:
    rng = np.random.default_rng(0)
    healthy = rng.random((10_000, len(ATTRIBUTES))) * 0.9 + 0.1  # the top 0.4% sit near 0.996
    thresholds = flag_thresholds(healthy, share=0.004)
    for j, name in enumerate(ATTRIBUTES):
        assert abs((healthy[:, j] >= thresholds[name]).mean() - 0.004) < 0.002
    assert flag_thresholds(np.zeros((100, len(ATTRIBUTES))))["THREAT"] == 0.5


def test_auto_threshold_sends_the_wanted_share_of_accurate_flags_onward() -> None:
    fast_max = np.linspace(0, 1, 1001)
    accurate_flagged = fast_max > 0.3
    t = auto_threshold(fast_max, accurate_flagged, recall=0.98)
    assert (fast_max[accurate_flagged] >= t).mean() >= 0.98
    assert auto_threshold(fast_max, np.zeros(1001, bool)) == 0.5
