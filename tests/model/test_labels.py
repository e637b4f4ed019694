"""The training frame: only permitted sets, no evaluation text, labels mapped per attribute."""

from pathlib import Path

import numpy as np
import pytest

from threadguard.datasets import load
from threadguard.datasets.dedupe import dedupe_key
from threadguard.datasets.registry import REGISTRY
from threadguard.model.labels import OUTPUTS, TRAINING_SETS, groups_in, training_frame


def test_group_keywords() -> None:
    assert groups_in("Muslim folks, women") == {"religion", "gender"}
    assert groups_in("LGBTQ folks") == {"sexual_orientation"}


def test_every_training_set_may_train() -> None:
    assert all(REGISTRY[name].use == "train" for name in TRAINING_SETS)


@pytest.fixture(scope="module")
def frame(request: pytest.FixtureRequest) -> object:
    return training_frame(request.getfixturevalue("shared_data"))


def test_no_evaluation_text_reaches_training(frame, shared_data: Path) -> None:
    keys = set(frame["text"].map(dedupe_key))
    for name, splits in (
        ("wikipedia_gn", None),
        ("toxic_spans_semeval", ("trial", "test")),
        ("hateval", ("test",)),
    ):
        rows = load(name, shared_data)
        if splits:
            rows = rows[rows["split"].isin(splits)]
        assert not keys & set(rows["text"].map(dedupe_key)), name


def test_labels_are_probabilities_or_unknown(frame) -> None:
    values = frame[OUTPUTS].to_numpy(dtype=float)
    known = values[~np.isnan(values)]
    assert ((known >= 0) & (known <= 1)).all()
    assert frame["TOXICITY"].notna().mean() > 0.8
    assert (frame["THREAT"] == 1).sum() > 200
