"""Two public Jigsaw-2018 BiLSTMs (MIT) as teachers for distillation, run in numpy: no TensorFlow.

`tox-block` 0.1.2 and `toxic-comment-classifier` 0.3.0 each ship a Keras tokenizer (pickled) and a
BiLSTM (HDF5). Both wheels depend on TensorFlow, which `threadguard` must not pull in, so they are
installed with `--no-deps` and only their data files are used here:

* the pickled tokenizers are opened by an unpickler that builds no Keras class (a stub keeps each
  object's state) and refuses every other global, and `KerasTokenizer` re-implements Keras's
  `texts_to_sequences` and `pad_sequences` (front padding and front truncation to 100 ids);
* the network (Embedding 50 -> Bidirectional LSTM 50, full sequences -> global max-pool ->
  Dense 50 relu -> Dense 6 sigmoid) is re-run step by step in numpy, weights read with h5py.

Loading is pinned: the installed distribution's version and the SHA-256 of every file read must
match the constants below, because a teacher that silently changed would change every student.

Neither model strips stop words at prediction: tox-block's `HyperlinkUsernameIPStopwordRemover`
was never applied (`run_training(apply_remover=False)`, and its tokenizer indexes "the" as 1), so
raw text goes to the tokenizer for both.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

JIGSAW_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
MAXLEN = 100
BATCH = 256
INSTALL_HINT = (
    "pip install --no-deps tox-block==0.1.2 toxic-comment-classifier==0.3.0 h5py "
    "(the [train] extras; --no-deps keeps TensorFlow out)"
)
KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


@dataclass(frozen=True)
class TeacherSpec:
    """Where one teacher's files are and what they must hash to."""

    name: str
    distribution: str
    version: str
    weights: str  # path inside the distribution
    weights_sha256: str
    tokenizer: str
    tokenizer_sha256: str
    weights_format: str  # "keras2_model": full model with model_config; "keras3_weights": weights only
    # Only for weights-only files, which carry no config: what the package's own code builds.
    recurrent_activation: str = "sigmoid"


TEACHERS: dict[str, TeacherSpec] = {
    "tox_block": TeacherSpec(
        name="tox_block",
        distribution="tox-block",
        version="0.1.2",
        weights="tox_block/trained_models/lstm_model_0.1.2.h5",
        weights_sha256="587d40726f1250341a3661fac099e46582cf34cdd5136eb88a726bf6d62ec24e",
        tokenizer="tox_block/trained_models/encoder_0.1.2.pkl",
        tokenizer_sha256="f73db76ce4138c0a566cf91a84077ab66db1f5da40d795d2f751b5a157d91ce7",
        weights_format="keras2_model",
    ),
    "toxic_comment_classifier": TeacherSpec(
        name="toxic_comment_classifier",
        distribution="toxic-comment-classifier",
        version="0.3.0",
        weights="toxic_classifier/model/model.weights.h5",
        weights_sha256="03ed4c3f52be909821a8c3263de2dcd65b95908bfae6f569c9a9cec90538a4b3",
        tokenizer="toxic_classifier/model/tokenizer.pickle",
        tokenizer_sha256="d8e998211d68c5264b84c6eb6753f08897194038e0345e91a592f97cd38c125c",
        weights_format="keras3_weights",
        recurrent_activation="sigmoid",  # Keras 3 LSTM default; toxic_classifier/model.py sets none
    ),
}


# ---------------------------------------------------------------- pickles without Keras


class PickledObject:
    """Stands in for a Keras / TensorFlow / tox_block class in a pickle: keeps the state, runs no code."""

    pickled_class = ""

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 2:  # (dict, slots) form
            state = {**(state[0] or {}), **(state[1] or {})}
        if not isinstance(state, dict):
            raise pickle.UnpicklingError(f"unexpected state for {self.pickled_class}: {type(state).__name__}")
        self.__dict__.update(state)


_STUB_PACKAGES = ("keras", "keras_preprocessing", "tensorflow", "tox_block")
_SAFE_GLOBALS = {
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("builtins", "int"),
    ("builtins", "float"),
    ("builtins", "str"),
    ("builtins", "dict"),
    ("builtins", "list"),
    ("builtins", "set"),
    ("builtins", "tuple"),
}
_STUBS: dict[str, type[PickledObject]] = {}


class StubUnpickler(pickle.Unpickler):
    """Maps Keras-side classes to `PickledObject` subclasses and refuses any other non-container global.

    The pickles are also checksum-pinned; the allow-list means even a swapped file cannot run code.
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if module.split(".")[0] in _STUB_PACKAGES:
            key = f"{module}.{name}"
            if key not in _STUBS:
                _STUBS[key] = type(name, (PickledObject,), {"pickled_class": key})
            return _STUBS[key]
        raise pickle.UnpicklingError(f"refusing to load global {module}.{name} from a teacher pickle")


def load_stub_pickle(data: bytes) -> Any:
    return StubUnpickler(io.BytesIO(data)).load()


# ---------------------------------------------------------------- Keras Tokenizer


@dataclass
class KerasTokenizer:
    """Keras's (legacy) `Tokenizer.texts_to_sequences` plus `pad_sequences`, reproduced exactly.

    `vocab` keeps only the ids the model can see (id < num_words): Keras drops the others, or maps them
    to the OOV id when the tokenizer has an `oov_token`, and so does this.
    """

    vocab: dict[str, int]
    num_words: int | None = None
    filters: str = KERAS_FILTERS
    lower: bool = True
    split: str = " "
    char_level: bool = False
    oov_index: int | None = None
    maxlen: int = MAXLEN

    def __post_init__(self) -> None:
        self._table = str.maketrans(dict.fromkeys(self.filters, self.split))

    @classmethod
    def from_keras(cls, tokenizer: Any, maxlen: int = MAXLEN) -> KerasTokenizer:
        """From an unpickled Keras `Tokenizer` (a `PickledObject` or the real thing)."""
        state = vars(tokenizer)
        if state.get("analyzer") is not None:
            raise ValueError("tokenizers with a custom analyzer are not supported")
        word_index: dict[str, int] = state["word_index"]
        num_words = state.get("num_words")
        oov_token = state.get("oov_token")
        oov_index = None
        if oov_token is not None:
            if oov_token not in word_index:
                raise ValueError(f"oov_token {oov_token!r} is not in the word index")
            oov_index = int(word_index[oov_token])
        vocab = {w: int(i) for w, i in word_index.items() if not num_words or i < num_words}
        return cls(
            vocab=vocab,
            num_words=num_words,
            filters=state.get("filters", KERAS_FILTERS),
            lower=state.get("lower", True),
            split=state.get("split", " "),
            char_level=state.get("char_level", False),
            oov_index=oov_index,
            maxlen=maxlen,
        )

    def words(self, text: str) -> list[str]:
        """Keras `text_to_word_sequence`: lowercase, filter characters -> `split`, split, drop empties."""
        if self.lower:
            text = text.lower()
        if self.char_level:
            return list(text)
        return [w for w in text.translate(self._table).split(self.split) if w]

    def texts_to_sequences(self, texts: Sequence[str]) -> list[list[int]]:
        vocab, oov = self.vocab, self.oov_index
        out = []
        for text in texts:
            ids = [vocab.get(w, oov) for w in self.words(text)]
            out.append([i for i in ids if i is not None])
        return out

    def pad(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """Keras `pad_sequences(maxlen, padding='pre', truncating='pre')`: zeros in front, keep the tail."""
        batch = np.zeros((len(sequences), self.maxlen), dtype=np.int32)
        for row, seq in enumerate(sequences):
            tail = seq[-self.maxlen :]
            if tail:
                batch[row, self.maxlen - len(tail) :] = tail
        return batch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.pad(self.texts_to_sequences(texts))


# ---------------------------------------------------------------- the network in numpy


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return (0.5 * (1.0 + np.tanh(0.5 * x))).astype(x.dtype, copy=False)  # no overflow warnings


def _hard_sigmoid_keras2(x: np.ndarray) -> np.ndarray:
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def _hard_sigmoid_keras3(x: np.ndarray) -> np.ndarray:
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _activation(name: str, keras_major: int) -> Callable[[np.ndarray], np.ndarray]:
    if name == "sigmoid":
        return _sigmoid
    if name == "hard_sigmoid":
        return _hard_sigmoid_keras3 if keras_major >= 3 else _hard_sigmoid_keras2
    raise ValueError(f"unsupported LSTM recurrent activation {name!r}")


@dataclass
class LSTMDirection:
    """One direction of a Keras LSTM (activation tanh). Kernel columns are Keras's [i, f, c, o] blocks."""

    kernel: np.ndarray  # (input, 4u)
    recurrent_kernel: np.ndarray  # (u, 4u)
    bias: np.ndarray  # (4u,)


@dataclass
class BiLSTMNetwork:
    """Embedding -> Bidirectional(LSTM, sequences, concat) -> GlobalMaxPool1D -> Dense relu -> Dense sigmoid.

    No mask (`mask_zero=False`), so the pad id 0 goes through the LSTM like any word, as in Keras.
    """

    embedding: np.ndarray
    forward_lstm: LSTMDirection
    backward_lstm: LSTMDirection
    dense_kernel: np.ndarray
    dense_bias: np.ndarray
    out_kernel: np.ndarray
    out_bias: np.ndarray
    recurrent_activation: Callable[[np.ndarray], np.ndarray] = _sigmoid

    def __post_init__(self) -> None:
        self.units = self.forward_lstm.recurrent_kernel.shape[0]
        u = self.units
        # Gates reordered to [i, f, o | c]: one recurrent activation over 3u columns, tanh over the last u.
        order = np.r_[0 : 2 * u, 3 * u : 4 * u, 2 * u : 3 * u]
        self._tables = []
        self._recurrent = []
        for lstm in (self.forward_lstm, self.backward_lstm):
            # Embedding @ kernel + bias for the whole vocabulary: the input projection becomes a lookup.
            table = self.embedding.astype(np.float64) @ lstm.kernel.astype(np.float64) + lstm.bias
            self._tables.append(np.ascontiguousarray(table[:, order], dtype=np.float32))
            self._recurrent.append(np.ascontiguousarray(lstm.recurrent_kernel[:, order], dtype=np.float32))
        self._pad_prefix = self._forward_pad_states()

    def _step(self, z: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = self.units
        gates = self.recurrent_activation(z[:, : 3 * u])
        c = gates[:, u : 2 * u] * c + gates[:, :u] * np.tanh(z[:, 3 * u :])
        return gates[:, 2 * u : 3 * u] * np.tanh(c), c

    def _forward_pad_states(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(h, c, running max) of the forward LSTM after k leading pads, k = 0..MAXLEN.

        With front padding every text starts with the same run of pad ids, so the forward direction
        can start at its first word from this cache (the backward one meets the pads last: no shortcut).
        """
        u = self.units
        h = np.zeros((1, u), np.float32)
        c = np.zeros((1, u), np.float32)
        hmax = np.full((1, u), -np.inf, np.float32)
        states = [(h, c, hmax)]
        pad = self._tables[0][0:1]
        for _ in range(MAXLEN):
            h, c = self._step(pad + h @ self._recurrent[0], c)
            hmax = np.maximum(hmax, h)
            states.append((h, c, hmax))
        return states

    def _direction_max(self, ids: np.ndarray, backward: bool) -> np.ndarray:
        """Max over time of one direction's outputs. The Keras Bidirectional re-reverses the backward
        sequence before concatenating, but a max over time does not depend on the order, so it is skipped."""
        n, steps = ids.shape
        table = self._tables[1 if backward else 0]
        recurrent = self._recurrent[1 if backward else 0]
        if backward:
            h = np.zeros((n, self.units), np.float32)
            c = np.zeros((n, self.units), np.float32)
            hmax = np.full((n, self.units), -np.inf, np.float32)
            times: Sequence[int] = range(steps - 1, -1, -1)
        else:
            nonzero = ids != 0
            first = int(np.argmax(nonzero.any(axis=0))) if nonzero.any() else steps
            # Skip only the pad columns all rows share (ids are front padded; a pad id inside a text
            # is fed like the model would feed it).
            lead = min(first, steps, MAXLEN)
            h0, c0, m0 = self._pad_prefix[lead]
            h, c, hmax = (np.repeat(a, n, axis=0) for a in (h0, c0, m0))
            times = range(lead, steps)
        for t in times:
            h, c = self._step(table[ids[:, t]] + h @ recurrent, c)
            np.maximum(hmax, h, out=hmax)
        return hmax

    def predict(self, ids: np.ndarray) -> np.ndarray:
        """(n, T) int ids -> (n, 6) probabilities."""
        pooled = np.concatenate([self._direction_max(ids, False), self._direction_max(ids, True)], axis=1)
        hidden = np.maximum(pooled @ self.dense_kernel + self.dense_bias, 0.0)
        return _sigmoid(hidden @ self.out_kernel + self.out_bias)


def _keras2_network(h5: Any) -> BiLSTMNetwork:
    """A full Keras 2 model file: check the architecture in `model_config`, read weights by name."""
    raw = h5.attrs["model_config"]
    config = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    keras_version = h5.attrs.get("keras_version", b"2")
    keras_version = keras_version.decode() if isinstance(keras_version, bytes) else str(keras_version)
    layers = {layer["class_name"]: layer for layer in config["config"]["layers"]}
    classes = [layer["class_name"] for layer in config["config"]["layers"]]
    expected = ["InputLayer", "Embedding", "Bidirectional", "GlobalMaxPooling1D", "Dense", "Dropout", "Dense"]
    if classes != expected:
        raise ValueError(f"unexpected teacher architecture {classes}")
    if layers["Embedding"]["config"].get("mask_zero"):
        raise ValueError("teacher embedding masks zeros; this forward pass assumes it does not")
    bidi = layers["Bidirectional"]["config"]
    lstm = bidi["layer"]["config"]
    if bidi.get("merge_mode", "concat") != "concat" or lstm["activation"] != "tanh" or not lstm["use_bias"]:
        raise ValueError(f"unexpected LSTM settings in teacher: {bidi}")
    if not lstm["return_sequences"] or lstm.get("go_backwards"):
        raise ValueError("teacher LSTM must return sequences and run forwards")
    dense = [layer["config"] for layer in config["config"]["layers"] if layer["class_name"] == "Dense"]
    if [d["activation"] for d in dense] != ["relu", "sigmoid"]:
        raise ValueError(f"unexpected dense activations {[d['activation'] for d in dense]}")

    weights = h5["model_weights"]

    def named(layer: str) -> dict[str, np.ndarray]:
        group = weights[layer]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        return {n.split("/", 1)[1].removesuffix(":0"): np.asarray(group[n], np.float32) for n in names}

    emb = named(layers["Embedding"]["config"]["name"])
    bi = named(bidi["name"])
    d1, d2 = (named(d["name"]) for d in dense)

    def direction(prefix: str) -> LSTMDirection:
        return LSTMDirection(bi[f"{prefix}/kernel"], bi[f"{prefix}/recurrent_kernel"], bi[f"{prefix}/bias"])

    return BiLSTMNetwork(
        embedding=emb["embeddings"],
        forward_lstm=direction("forward_lstm"),
        backward_lstm=direction("backward_lstm"),
        dense_kernel=d1["kernel"],
        dense_bias=d1["bias"],
        out_kernel=d2["kernel"],
        out_bias=d2["bias"],
        recurrent_activation=_activation(lstm["recurrent_activation"], int(keras_version.split(".")[0])),
    )


def _keras3_network(h5: Any, recurrent_activation: str) -> BiLSTMNetwork:
    """A Keras 3 `.weights.h5`: layers/<name>/vars/<i> in the order the layer creates its weights."""

    def var(path: str, i: int) -> np.ndarray:
        return np.asarray(h5[f"layers/{path}/vars/{i}"], np.float32)

    def direction(side: str) -> LSTMDirection:
        cell = f"bidirectional/{side}_layer/cell"
        return LSTMDirection(var(cell, 0), var(cell, 1), var(cell, 2))

    return BiLSTMNetwork(
        embedding=var("embedding", 0),
        forward_lstm=direction("forward"),
        backward_lstm=direction("backward"),
        dense_kernel=var("dense", 0),
        dense_bias=var("dense", 1),
        out_kernel=var("dense_1", 0),
        out_bias=var("dense_1", 1),
        recurrent_activation=_activation(recurrent_activation, 3),
    )


# ---------------------------------------------------------------- public API


def _read_pinned(dist: metadata.Distribution, relative: str, sha256: str, spec: TeacherSpec) -> bytes:
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise RuntimeError(
            f"{spec.distribution} is installed but {relative} is missing; reinstall: {INSTALL_HINT}"
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ValueError(
            f"SHA-256 mismatch for {spec.name} file {relative}: got {digest}, pinned {sha256}; "
            f"reinstall with: {INSTALL_HINT}"
        )
    return data


class JigsawTeacher:
    """One pinned Jigsaw-2018 BiLSTM: `predict_proba(texts)` -> (n, 6) in `JIGSAW_LABELS` order."""

    def __init__(self, name: str, version: str, tokenizer: KerasTokenizer, network: BiLSTMNetwork) -> None:
        self.name = name
        self.version = version
        self.tokenizer = tokenizer
        self.network = network

    @classmethod
    def load(cls, name: str, teachers: Mapping[str, TeacherSpec] | None = None) -> JigsawTeacher:
        specs = TEACHERS if teachers is None else teachers
        if name not in specs:
            raise ValueError(f"unknown teacher {name!r}; choose from {sorted(specs)}")
        spec = specs[name]
        try:
            dist = metadata.distribution(spec.distribution)
        except metadata.PackageNotFoundError:
            raise RuntimeError(
                f"teacher {name} needs the {spec.distribution} wheel: {INSTALL_HINT}"
            ) from None
        if dist.version != spec.version:
            raise ValueError(
                f"teacher {name} is pinned to {spec.distribution}=={spec.version}, found {dist.version}: "
                f"{INSTALL_HINT}"
            )
        try:
            import h5py
        except ImportError:
            raise RuntimeError(f"teacher {name} needs h5py to read its weights: {INSTALL_HINT}") from None
        weights = _read_pinned(dist, spec.weights, spec.weights_sha256, spec)
        pickled = _read_pinned(dist, spec.tokenizer, spec.tokenizer_sha256, spec)
        keras_tokenizer = load_stub_pickle(pickled)
        # tox-block pickles its sklearn TokenSequencer, which holds the Keras Tokenizer.
        keras_tokenizer = vars(keras_tokenizer).get("tokenizer", keras_tokenizer)
        tokenizer = KerasTokenizer.from_keras(keras_tokenizer)
        with h5py.File(io.BytesIO(weights), "r") as h5:
            if spec.weights_format == "keras2_model":
                network = _keras2_network(h5)
            elif spec.weights_format == "keras3_weights":
                network = _keras3_network(h5, spec.recurrent_activation)
            else:
                raise ValueError(f"unknown weights format {spec.weights_format!r}")
        if network.embedding.shape[0] < (tokenizer.num_words or 0):
            raise ValueError(f"teacher {name}: tokenizer ids exceed the embedding rows")
        return cls(name=name, version=spec.version, tokenizer=tokenizer, network=network)

    def predict_proba(self, texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        """Probabilities as the original Keras model gives them (float32, raw; no tox-block rescaling)."""
        ids = self.tokenizer.encode(list(texts))
        out = np.empty((len(ids), len(JIGSAW_LABELS)), np.float32)
        # Texts sorted by length so each batch shares a long run of leading pads the forward LSTM skips.
        order = np.argsort(-(ids != 0).sum(axis=1), kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self.network.predict(ids[rows])
        return out
