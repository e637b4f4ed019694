"""The public scoring API: `Scorer.load()` then `.score(texts)` or `.predict_proba(texts)`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.model.artifact import Artifact
from threadguard.model.explain import SpanExplainer
from threadguard.model.features import Featuriser
from threadguard.model.lexicon import Lexicon
from threadguard.model.linear import MultiOutputLogistic, sigmoid
from threadguard.scores import CommentScore
from threadguard.text.language import UNDETERMINED, LanguageIdentifier
from threadguard.text.normalise import Normaliser

SUPPORTED_LANGUAGES = ("en",)
CHUNK = 1024  # rows featurised at a time: bounds memory on large batches, same results


def build_featuriser(config: dict, lexicon: Lexicon) -> Featuriser:
    """The featuriser an artifact's config describes; training and scoring share this one recipe."""
    vocabulary = lexicon.words(("slur", "profanity", "sexual", "insult", "dehumanising", "violence"))
    return Featuriser(
        Normaliser(vocabulary),
        lexicon,
        word_bits=config["word_bits"],
        char_bits=config["char_bits"],
        char_ngrams=tuple(config["char_ngrams"]),
    )


class Scorer:
    """Scores comments for the seven attributes and the target groups, with explaining spans."""

    def __init__(self, artifact: Artifact, language_identifier: LanguageIdentifier | None = None) -> None:
        config = artifact.config
        if tuple(config["outputs"]) != (*ATTRIBUTES, *(f"target_{g}" for g in TARGET_GROUPS)):
            raise ValueError("artifact outputs do not match this version of threadguard")
        self.version = artifact.version
        self.card = artifact.card
        self.featuriser = build_featuriser(config, Lexicon.load(artifact.lexicon_dir))
        self.featuriser.idf = artifact.idf
        self.model = MultiOutputLogistic.from_arrays(artifact.coef, artifact.intercept)
        self.flag_thresholds: dict[str, float] = config["flag_thresholds"]
        self.explainer = SpanExplainer(
            self.featuriser,
            self.model,
            token_threshold=config["span_token_threshold"],
            min_probability=config["span_min_probability"],
        )
        self.languages = language_identifier or LanguageIdentifier()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Scorer:
        """The shipped default model, or the artifact folder at `path`."""
        return cls(Artifact.load(Path(path) if path else None))

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        _check_texts(texts)
        n_outputs = len(self.model.intercept_)
        chunks = [
            self.model.decision_function(self.featuriser.transform(texts[i : i + CHUNK]))
            for i in range(0, len(texts), CHUNK)
        ]
        return np.vstack(chunks) if chunks else np.zeros((0, n_outputs))

    def is_flagged(self, attributes: Mapping[str, float]) -> bool:
        """Whether any attribute probability reaches the model's flag threshold for it."""
        return any(attributes[a] >= t for a, t in self.flag_thresholds.items())

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Attribute probabilities, shape (n, 7), columns in ATTRIBUTES order. No spans, no language."""
        return sigmoid(self._logits(texts)[:, : len(ATTRIBUTES)])

    def predict_targets(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each comment attacks each target group, shape (n, 7), TARGET_GROUPS order."""
        return sigmoid(self._logits(texts)[:, len(ATTRIBUTES) :])

    def score(self, texts: Sequence[str]) -> list[CommentScore]:
        """Full results: probabilities, target groups, spans in UTF-16 offsets, flag and language."""
        _check_texts(texts)
        if len(texts) > CHUNK:
            return [
                result for i in range(0, len(texts), CHUNK) for result in self.score(texts[i : i + CHUNK])
            ]
        analyses = [self.featuriser.analyse(t) for t in texts]
        rows = self.featuriser.transform_analyses(analyses)
        probabilities = self.model.predict_proba(rows)
        languages = self.languages.identify(texts)
        results: list[CommentScore] = []
        n_attr = len(ATTRIBUTES)
        for i, (text, analysis, probs, language) in enumerate(
            zip(texts, analyses, probabilities, languages, strict=True)
        ):
            attributes = {name: float(p) for name, p in zip(ATTRIBUTES, probs[:n_attr], strict=True)}
            targets = {name: float(p) for name, p in zip(TARGET_GROUPS, probs[n_attr:], strict=True)}
            warnings: list[str] = []
            if not text.strip():
                warnings.append("COMMENT_EMPTY: nothing to score")
            elif language == UNDETERMINED:
                warnings.append("LANGUAGE_UNDETERMINED: too few letters to identify a language")
            elif language not in SUPPORTED_LANGUAGES:
                warnings.append(
                    f"LANGUAGE_NOT_SUPPORTED: detected {language!r}; the model is trained on English only"
                )
            results.append(
                CommentScore(
                    attributes=attributes,
                    targets=targets,
                    spans=self.explainer.spans(text, analysis, attributes, rows[i]),
                    flagged=self.is_flagged(attributes),
                    language=language,
                    model=self.version,
                    warnings=warnings,
                )
            )
        return results


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str):
        raise TypeError("pass a sequence of texts, e.g. [text], not a bare string")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
