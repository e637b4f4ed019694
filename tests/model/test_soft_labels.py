"""Distillation labels: how a teacher's probabilities blend with a dataset's own labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from threadguard.model.labels import OUTPUTS
from threadguard.model.train import Teacher, mean_teacher, with_soft_labels


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


def constant_teacher(name: str, values: dict[str, float], share: float = 0.3) -> Teacher:
    def predict(texts: list[str]) -> np.ndarray:
        out = np.full((len(texts), len(OUTPUTS)), np.nan)
        for output, value in values.items():
            out[:, OUTPUTS.index(output)] = value
        return out

    return Teacher(name, tuple(values), predict, share)


def test_a_mean_teacher_averages_the_teachers_of_each_output_and_stays_silent_where_none_teaches() -> None:
    both = mean_teacher([
        constant_teacher("a", {"TOXICITY": 0.2, "THREAT": 0.6}),
        constant_teacher("b", {"TOXICITY": 0.8}),
    ])  # fmt: skip
    taught = both.predict(["x", "y"])
    assert np.allclose(taught[:, OUTPUTS.index("TOXICITY")], 0.5)
    assert np.allclose(taught[:, OUTPUTS.index("THREAT")], 0.6)
    assert np.isnan(taught[:, OUTPUTS.index("INSULT")]).all()
    assert both.outputs == ("TOXICITY", "THREAT") and both.share == 0.3


def test_teachers_with_different_shares_are_refused() -> None:
    with pytest.raises(ValueError, match="one share"):
        mean_teacher([constant_teacher("a", {"TOXICITY": 0.2}), constant_teacher("b", {}, share=0.5)])
