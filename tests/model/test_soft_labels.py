"""Distillation labels: how a teacher's probabilities blend with a dataset's own labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from threadguard.model.labels import OUTPUTS
from threadguard.model.train import with_soft_labels


def frame() -> pd.DataFrame:
    rows = pd.DataFrame({name: [1.0, np.nan, 0.0] for name in OUTPUTS})
    rows["text"] = ["labelled toxic", "silent", "our own behaviour row"]
    rows["domain"] = ["news", "twitter", "synthetic"]
    return rows


def test_labels_blend_silence_takes_the_teacher_and_synthetic_rows_keep_theirs() -> None:
    teacher = np.full((3, len(OUTPUTS)), 0.2)
    blended = with_soft_labels(frame(), teacher, share=0.25)
    assert np.allclose(blended[OUTPUTS[0]], [0.75 * 1.0 + 0.25 * 0.2, 0.2, 0.0])


def test_a_teacher_silent_on_an_output_leaves_its_labels_alone() -> None:
    teacher = np.full((3, len(OUTPUTS)), np.nan)
    teacher[:, 0] = 0.5
    blended = with_soft_labels(frame(), teacher, share=0.5)
    assert blended[OUTPUTS[0]].tolist()[:2] == [0.75, 0.5]
    assert blended[OUTPUTS[1]].tolist()[0] == 1.0 and np.isnan(blended[OUTPUTS[1]].tolist()[1])
