"""The shipped context model is what `threadguard train-context` makes from the data, bit for bit."""

from __future__ import annotations

import numpy as np

from threadguard.model.context import ContextModel
from threadguard.scorer import Scorer
from threadguard.thread.context import ContextScorer, default_context_model_path
from threadguard.thread.context_training import synthetic_rows, toxichat_rows, train_context_model


def test_synthetic_pairs_are_seeded_and_labelled() -> None:
    a, b = synthetic_rows(0), synthetic_rows(0)
    assert a.texts == b.texts and a.contexts == b.contexts
    assert not np.isnan(a.labels).any()
    assert {tuple(row) for row in a.labels} > {(0.0,) * 7}


def test_toxichat_rows_use_the_post_as_article_and_keep_the_test_split_apart(shared_data) -> None:
    dev, test = toxichat_rows(shared_data, "val"), toxichat_rows(shared_data, "test")
    assert len(dev.texts) > 300 and len(test.texts) > 300
    shared = set(dev.texts) & set(test.texts)
    assert all(len(text) < 20 for text in shared), shared  # only stock replies such as "Thank you!"
    assert all(c.article for c in dev.contexts)


def test_retraining_reproduces_the_shipped_context_model(shared_data) -> None:
    fitted = train_context_model(ContextScorer(Scorer.load(tier="fast"), ContextModel()), shared_data, seed=0)
    shipped = ContextModel.load(default_context_model_path())
    assert np.allclose(fitted.weights_, shipped.weights_, atol=2e-6)
