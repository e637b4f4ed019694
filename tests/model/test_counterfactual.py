import numpy as np
import pandas as pd

from threadguard.attributes import TARGET_GROUPS
from threadguard.model.counterfactual import augment
from threadguard.model.lexicon import Lexicon


def test_swapped_copies_keep_labels_and_move_the_target() -> None:
    targets = {f"target_{g}": 0.0 for g in TARGET_GROUPS}
    frame = pd.DataFrame(
        [
            {
                "text": "I hate muslims",
                "dataset": "x",
                "IDENTITY_ATTACK": 1.0,
                **targets,
                "target_religion": 1.0,
            },
            {"text": "no identity here", "dataset": "x", "IDENTITY_ATTACK": 0.0, **targets},
        ]
    )
    extra = augment(frame, Lexicon.load(), share=1.0, seed=1)
    assert len(extra) == 1
    row = extra.iloc[0]
    assert row["text"].startswith("I hate ") and "muslims" not in row["text"]
    assert row["IDENTITY_ATTACK"] == 1.0 and row["dataset"] == "x+counterfactual"
    assert row["target_religion"] == 0.0
    assert np.isclose(sum(row[f"target_{g}"] for g in TARGET_GROUPS), 1.0)


def test_augmentation_is_seeded() -> None:
    frame = pd.DataFrame({"text": ["gay people live here", "women vote"], "dataset": ["x", "x"]})
    a = augment(frame, Lexicon.load(), share=1.0, seed=3)
    b = augment(frame, Lexicon.load(), share=1.0, seed=3)
    assert a.equals(b)
