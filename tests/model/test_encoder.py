"""The shipped accurate-tier encoder at run time: onnxruntime + tokenizers, no torch."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from threadguard.model.encoder import CHARS_PER_TOKEN, EncoderArtifact, model_text


@pytest.fixture(scope="module")
def encoder() -> EncoderArtifact:
    return EncoderArtifact.load()


def test_a_text_scores_the_same_whatever_batch_it_is_in(encoder: EncoderArtifact) -> None:
    texts = ["You are a complete idiot.", "Lovely weather for the match.", "x " * 300, "Gallows for the lot."]
    together = encoder.logits(texts)
    alone = np.vstack([encoder.logits([t]) for t in texts])
    reversed_order = encoder.logits(texts[::-1])[::-1]
    assert (together == alone).all() and (together == reversed_order).all()
    assert together.shape == (4, len(encoder.outputs))


def test_hostile_input_gives_finite_logits(encoder: EncoderArtifact) -> None:
    texts = ["\ud800 lone surrogate", "", "😀" * 5000, "a" * 1_000_000]
    assert np.isfinite(encoder.logits(texts)).all()
    assert encoder.truncated(texts) == [False, False, True, True]


def test_model_text_is_cut_and_normalised(encoder: EncoderArtifact) -> None:
    assert len(model_text("y" * 100_000, encoder.max_tokens, None)) == encoder.max_tokens * CHARS_PER_TOKEN
    if encoder.normalise:
        assert "stupid" in encoder.model_text("only s t u p i d people")


def test_the_run_time_needs_no_torch_or_transformers(encoder: EncoderArtifact) -> None:
    encoder.logits(["a comment"])
    assert encoder.version.startswith("enc-")
    if "torch" in sys.modules:  # another test (training smoke) may have imported it; check the import graph
        pytest.skip("torch already imported in this process")
    assert "transformers" not in sys.modules
