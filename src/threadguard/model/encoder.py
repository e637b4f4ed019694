"""The accurate tier's model at run time: a fine-tuned MiniLM-L6 in ONNX, run by onnxruntime.

No torch or transformers here: `tokenizers` (Rust) turns text into WordPiece ids, onnxruntime runs
the graph, one text at a time (no padding, and a score that never depends on the batch); each text is
cut to the model's window (`max_tokens`), which also bounds memory whatever one comment holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from threadguard.model.lexicon import Lexicon, evasion_normaliser
from threadguard.text.normalise import Normaliser
from threadguard.text.utf16 import replace_lone_surrogates

ONNX_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "encoder.json"
CHARS_PER_TOKEN = 12  # more characters than this per token of the window cannot fit it


def default_encoder_dir() -> Path:
    return Path(str(resources.files("threadguard") / "models" / "accurate"))


def model_text(text: str, max_tokens: int, normaliser: Normaliser | None) -> str:
    """What the encoder reads of a comment, in training and at run time alike: characters past ~12 per
    token cannot fit the window, so they are cut first (bounded memory); lone surrogates become U+FFFD
    (the Rust tokenizer needs valid UTF-8); then evasions are undone ("s t u p i d" -> "stupid")."""
    cut = replace_lone_surrogates(text[: max_tokens * CHARS_PER_TOKEN])[0]
    return normaliser(cut).text if normaliser is not None else cut


@dataclass
class EncoderArtifact:
    """The folder `threadguard train --tier accurate` writes: ONNX graph, tokenizer, config, card."""

    directory: Path
    outputs: list[str]
    max_tokens: int
    card: dict[str, Any] = field(default_factory=dict)
    flag_thresholds: dict[str, float] = field(default_factory=dict)
    auto_threshold: float = 0.2  # `auto` sends a comment to this tier when a fast-tier attribute reaches it
    span_min_probability: float = 0.3
    span_word_drop: float = 0.1
    normalise: bool = False  # read the evasion-normalised text ("s t u p i d" -> "stupid"), as trained
    version: str = ""
    threads: int = 0
    _session: Any = None
    _tokenizer: Any = None
    _normaliser: Any = None

    @classmethod
    def load(cls, directory: Path | None = None, threads: int = 0) -> EncoderArtifact:
        directory = Path(directory) if directory else default_encoder_dir()
        config_path = directory / CONFIG_FILE
        if not config_path.is_file():
            raise FileNotFoundError(f"no accurate-tier model at {directory} (missing {CONFIG_FILE})")
        payload = json.loads(config_path.read_text())
        digest = hashlib.sha256()
        for name in (ONNX_FILE, TOKENIZER_FILE):
            digest.update((directory / name).read_bytes())
        decisive = {k: v for k, v in payload.items() if k != "card"}
        digest.update(json.dumps(decisive, sort_keys=True).encode())
        return cls(
            directory=directory,
            outputs=list(payload["outputs"]),
            max_tokens=int(payload["max_tokens"]),
            card=payload.get("card", {}),
            flag_thresholds=payload.get("flag_thresholds", {}),
            auto_threshold=float(payload.get("auto_threshold", 0.2)),
            span_min_probability=float(payload.get("span_min_probability", 0.3)),
            span_word_drop=float(payload.get("span_word_drop", 0.1)),
            normalise=bool(payload.get("normalise", False)),
            version=f"enc-{digest.hexdigest()[:12]}",
            threads=threads,
        )

    def _ready(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(self.directory / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        tokenizer.enable_truncation(max_length=self.max_tokens)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        if self.normalise:
            self._normaliser = evasion_normaliser(Lexicon.load())

    def truncated(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text is longer than the model's window (cut in characters or in tokens)."""
        self._ready()
        cut = self.max_tokens * CHARS_PER_TOKEN
        return [len(t) > cut or bool(e.overflowing) for t, e in zip(texts, self._encode(texts), strict=True)]

    @property
    def normaliser(self) -> Normaliser | None:
        """The evasion normaliser the model reads through (None: it reads the raw text)."""
        self._ready()
        return self._normaliser

    def model_text(self, text: str) -> str:
        """What the graph reads of a comment (see `model_text`)."""
        self._ready()
        return model_text(text, self.max_tokens, self._normaliser)

    def _encode(self, texts: Sequence[str]) -> list[Any]:
        return self._tokenizer.encode_batch([self.model_text(t) for t in texts])

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Logits of every output, shape (n, len(outputs)), in input order.

        Each text runs on its own: the int8 graph quantises activations with a scale taken over the
        whole input tensor, so a batch would make a text's score depend on its neighbours. One at a
        time, a text always gets the same score (1,500 C3 comments: 233/s; padded batches of 32: 257/s)."""
        self._ready()
        result = np.zeros((len(texts), len(self.outputs)), dtype=np.float32)
        for i, encoding in enumerate(self._encode(texts)):
            input_ids = np.array([encoding.ids], dtype=np.int64)
            mask = np.ones_like(input_ids)
            (result[i],) = self._session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})[0]
        return result
