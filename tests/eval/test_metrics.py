"""Each metric against values worked out by hand on tiny arrays (arithmetic in the comments)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from threadguard.eval.metrics import (
    best_threshold_f1,
    bnsp_auc,
    bpsn_auc,
    calibration_bins,
    expected_calibration_error,
    false_positive_rate_at,
    identity_bias_metrics,
    macro_f1,
    mean_span_f1,
    power_mean,
    roc_auc,
    span_f1,
    subgroup_auc,
)


def test_roc_auc_counts_correctly_ordered_pairs() -> None:
    # positives {0.35, 0.8}, negatives {0.1, 0.4}: pairs 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes
    # -> 3 of 4 = 0.75
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)


def test_roc_auc_tie_counts_half() -> None:
    # one pair, tied -> 0.5
    assert roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)


def test_roc_auc_one_class_is_an_error() -> None:
    with pytest.raises(ValueError, match="positive and negative"):
        roc_auc([1, 1, 1], [0.2, 0.3, 0.9])


def test_roc_auc_rejects_non_binary_labels() -> None:
    with pytest.raises(ValueError, match="binary"):
        roc_auc([0, 2], [0.1, 0.2])


def test_macro_f1() -> None:
    # true a a b b c / pred a b b b a
    # a: TP 1, FP 1 (row 5), FN 1 (row 2) -> 2/(2+1+1) = 0.5
    # b: TP 2, FP 1 (row 2), FN 0        -> 4/(4+1)   = 0.8
    # c: TP 0                            -> 0
    # macro = (0.5 + 0.8 + 0) / 3 = 0.4333...
    assert macro_f1(list("aabbc"), list("abbba")) == pytest.approx(1.3 / 3)


def test_macro_f1_agrees_with_sklearn() -> None:
    rng = np.random.default_rng(0)
    truth, pred = rng.integers(0, 3, 200), rng.integers(0, 4, 200)
    assert macro_f1(truth, pred) == pytest.approx(f1_score(truth, pred, average="macro", zero_division=0))
    assert macro_f1(truth, pred, labels=[0, 1, 2]) == pytest.approx(
        f1_score(truth, pred, labels=[0, 1, 2], average="macro", zero_division=0)
    )


Y_DEV = [1, 0, 1, 0, 1]
S_DEV = [0.9, 0.8, 0.7, 0.4, 0.2]


def test_best_threshold_binary_f1() -> None:
    # F1 = 2TP / (2TP + FP + FN) when predicting score >= t:
    # t=inf 0 | t=0.9 2/4=0.5 | t=0.8 2/5=0.4 | t=0.7 4/6=0.667 | t=0.4 4/7=0.571 | t=0.2 6/8=0.75
    assert best_threshold_f1(Y_DEV, S_DEV) == pytest.approx((0.2, 0.75))


def test_best_threshold_macro_f1_prefers_higher_threshold_on_ties() -> None:
    # negative-class F1 = 2TN / (2TN + FN + FP):
    # t=0.9: pos 0.5, neg 4/6 -> mean 0.5833 ; t=0.7: pos 4/6, neg 2/4 -> mean 0.5833 (tie)
    # t=inf: (0 + 4/7)/2 = 0.286 ; t=0.8: (0.4 + 0.4)/2 = 0.4 ; t=0.4: 0.286 ; t=0.2: 0.375
    threshold, f1 = best_threshold_f1(Y_DEV, S_DEV, average="macro")
    assert threshold == pytest.approx(0.9)
    assert f1 == pytest.approx((0.5 + 2 / 3) / 2)


def test_best_threshold_on_equal_scores() -> None:
    # scores 0.5 0.5 0.1 with labels 1 0 0: t=0.5 -> TP1 FP1 FN0 -> 2/3 ; t=0.1 -> 2/(2+2) = 0.5
    assert best_threshold_f1([1, 0, 0], [0.5, 0.5, 0.1]) == pytest.approx((0.5, 2 / 3))


def test_false_positive_rate_at() -> None:
    # negatives scored 0.2, 0.5, 0.7; two of three are >= 0.5
    assert false_positive_rate_at([0, 0, 0, 1], [0.2, 0.5, 0.7, 0.9], 0.5) == pytest.approx(2 / 3)


# rows:          0    1    2    3    4    5    6    7
Y_BIAS = [1, 0, 1, 0, 1, 0, 1, 0]
S_BIAS = [0.9, 0.6, 0.4, 0.3, 0.8, 0.1, 0.5, 0.7]
IN_GROUP = [True, True, True, False, False, False, False, False]


def test_subgroup_auc() -> None:
    # subgroup rows 0-2: positives {0.9, 0.4}, negative {0.6}: 0.9>0.6 yes, 0.4>0.6 no -> 0.5
    assert subgroup_auc(Y_BIAS, S_BIAS, IN_GROUP) == pytest.approx(0.5)


def test_bpsn_auc() -> None:
    # subgroup negatives {0.6} vs background positives {0.8, 0.5}: 0.8>0.6 yes, 0.5>0.6 no -> 0.5
    assert bpsn_auc(Y_BIAS, S_BIAS, IN_GROUP) == pytest.approx(0.5)


def test_bnsp_auc() -> None:
    # subgroup positives {0.9, 0.4} vs background negatives {0.3, 0.1, 0.7}:
    # 0.9 beats all 3; 0.4 beats 0.3 and 0.1 -> 5 of 6
    assert bnsp_auc(Y_BIAS, S_BIAS, IN_GROUP) == pytest.approx(5 / 6)


def test_power_mean() -> None:
    # mean(0.5**-5, 1**-5) = (32 + 1) / 2 = 16.5 ; 16.5 ** (-1/5) = 0.5708
    assert power_mean([0.5, 1.0], p=-5) == pytest.approx(16.5**-0.2)
    assert power_mean([0.5, 1.0], p=-5) == pytest.approx(0.5708, abs=1e-4)
    assert power_mean([0.8], p=-5) == pytest.approx(0.8)
    assert power_mean([0.9, 0.0], p=-5) == 0.0  # limit as one value goes to 0


def test_identity_bias_metrics_final_score() -> None:
    # overall: positives {0.9, 0.4, 0.8, 0.5} vs negatives {0.6, 0.3, 0.1, 0.7}:
    # 0.9 -> 4, 0.4 -> 2, 0.8 -> 4, 0.5 -> 2 correctly ordered pairs = 12 / 16 = 0.75
    # one identity, so each power mean is its own value: 0.5, 0.5, 5/6
    # final = 0.25 * (0.75 + 0.5 + 0.5 + 5/6) = 0.645833
    identities = ["gay" if g else None for g in IN_GROUP]
    result = identity_bias_metrics(Y_BIAS, S_BIAS, identities)
    assert result["overall_auc"] == pytest.approx(0.75)
    assert result["final_score"] == pytest.approx(0.25 * (0.75 + 0.5 + 0.5 + 5 / 6))
    assert result["per_identity"]["gay"]["size"] == 3


def test_span_f1_cases() -> None:
    # overlap {3, 4}: P = 2/4, R = 2/3, F1 = 2*2 / (4 + 3) = 4/7
    assert span_f1({1, 2, 3, 4}, {3, 4, 5}) == pytest.approx(4 / 7)
    assert span_f1(set(), set()) == 1.0
    assert span_f1({1}, set()) == 0.0
    assert span_f1(set(), {1}) == 0.0
    assert span_f1({1, 2}, {7}) == 0.0


def test_mean_span_f1() -> None:
    # (4/7 + 1 + 0) / 3 = 11/21
    preds = [[1, 2, 3, 4], [], [1]]
    golds = [[3, 4, 5], [], []]
    assert mean_span_f1(preds, golds) == pytest.approx(11 / 21)


def test_expected_calibration_error() -> None:
    # 10 bins: 0.05 -> bin 0 (|0 - 0.05| = 0.05), 0.15 and 0.12 -> bin 1 (mean 0.135, observed 1/2: 0.365),
    # 0.85 -> bin 8 (|1 - 0.85| = 0.15), 0.95 -> bin 9 (0.05)
    # ECE = (1*0.05 + 2*0.365 + 1*0.15 + 1*0.05) / 5 = 0.98 / 5 = 0.196
    y = [0, 0, 1, 1, 1]
    p = [0.05, 0.15, 0.12, 0.85, 0.95]
    assert expected_calibration_error(y, p) == pytest.approx(0.196)
    confidence, observed, counts = calibration_bins(y, p)
    assert counts.tolist() == [1, 2, 0, 0, 0, 0, 0, 0, 1, 1]
    assert np.isnan(observed[2])
    assert confidence[1] == pytest.approx(0.135)


def test_probability_one_lands_in_last_bin() -> None:
    _, _, counts = calibration_bins([1], [1.0], n_bins=4)
    assert counts.tolist() == [0, 0, 0, 1]
