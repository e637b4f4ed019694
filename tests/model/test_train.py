"""A small real training run on shared data: fast, deterministic, and better than chance on held-out rows."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from threadguard.eval.metrics import mean_span_f1
from threadguard.model.labels import training_frame
from threadguard.model.train import train
from threadguard.scorer import Scorer


@pytest.fixture(scope="module")
def small_models(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Path, Path]:
    shared = request.getfixturevalue("shared_data")
    out = tmp_path_factory.mktemp("models")
    train(
        data_dir=shared,
        out_dir=out / "a",
        seed=7,
        limit=3000,
        progress=lambda _: None,
        span_metric=mean_span_f1,
    )
    train(
        data_dir=shared,
        out_dir=out / "b",
        seed=7,
        limit=3000,
        progress=lambda _: None,
        span_metric=mean_span_f1,
    )
    return out / "a", out / "b"


def test_same_seed_gives_the_same_model_version(small_models: tuple[Path, Path]) -> None:
    a, b = small_models
    assert Scorer.load(a).version == Scorer.load(b).version


def test_small_model_beats_chance_on_held_out_rows(
    small_models: tuple[Path, Path], shared_data: Path
) -> None:
    frame = training_frame(shared_data, seed=7)
    trained_on = frame.sample(n=3000, random_state=7).index  # the rows train(limit=3000, seed=7) drew
    held_out = frame.drop(trained_on).sample(n=4000, random_state=99)
    rows = held_out[held_out["TOXICITY"].isin([0.0, 1.0])]
    probs = Scorer.load(small_models[0]).predict_proba(rows["text"].tolist())[:, 0]
    auc = roc_auc_score(rows["TOXICITY"].to_numpy(), probs)
    assert auc > 0.7, auc


def test_model_card_lists_training_sets_with_licences(small_models: tuple[Path, Path]) -> None:
    card = (small_models[0] / "MODEL_CARD.md").read_text()
    for name in ("davidson", "hatexplain", "toxic_spans", "wikipedia_gc", "synthetic"):
        assert name in card
    assert "MIT" in card and "CC0" in card
    assert not np.isnan(Scorer.load(small_models[0]).predict_proba(["a test"])).any()
