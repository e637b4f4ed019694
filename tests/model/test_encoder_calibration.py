"""The accurate tier's calibration rules, on plain arrays."""

from __future__ import annotations

import numpy as np

from threadguard.model.encoder_calibration import auto_threshold


def test_auto_threshold_sends_the_wanted_share_of_accurate_flags_onward() -> None:
    fast_max = np.linspace(0, 1, 1001)
    accurate_flagged = fast_max > 0.3
    t = auto_threshold(fast_max, accurate_flagged, recall=0.98)
    assert (fast_max[accurate_flagged] >= t).mean() >= 0.98
    assert auto_threshold(fast_max, np.zeros(1001, bool)) == 0.5
