"""The public scoring API: `Scorer.load()` then `.score(texts)` or `.predict_proba(texts)`."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from threadguard.attributes import ATTRIBUTES, FLAGGING_ATTRIBUTES, TARGET_GROUPS
from threadguard.model.artifact import Artifact
from threadguard.model.encoder import EncoderArtifact
from threadguard.model.explain import SpanExplainer
from threadguard.model.features import build_featuriser, slur_groups_of
from threadguard.model.hotpath import CompiledLinear, FastRows
from threadguard.model.lexicon import Lexicon
from threadguard.model.linear import MultiOutputLogistic, sigmoid
from threadguard.model.occlusion import occlusion_spans
from threadguard.scores import CommentScore, Span
from threadguard.text.language import UNDETERMINED, LanguageIdentifier

SUPPORTED_LANGUAGES = ("en",)
CHUNK = 1024  # rows featurised at a time: bounds memory on large batches, same results
MAX_CHARS = 20_480  # Perspective's 20 KB comment limit: longer text is cut (and says so), bounding memory
TIERS = ("fast", "accurate", "auto")
DEFAULT_COMMUNITY = "default"  # the community of a request that names none
T = TypeVar("T")


class Scorer:
    """Scores comments for the seven attributes and the target groups, with explaining spans.

    Tiers: `fast` is the linear model alone; `accurate` the fine-tuned encoder alone; `auto` runs the
    fast tier on everything and the encoder on the comments where the fast tier is not sure they are
    clean (any attribute at or above the encoder's `auto_threshold`), which is where flags are decided.
    """

    def __init__(
        self,
        artifact: Artifact,
        language_identifier: LanguageIdentifier | None = None,
        encoder: EncoderArtifact | None = None,
        tier: str = "fast",
    ) -> None:
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
        if tier != "fast" and encoder is None:
            raise ValueError(f"the {tier} tier needs the accurate-tier encoder")
        self.tier = tier
        self.encoder = encoder if tier != "fast" else None
        config = artifact.config
        if tuple(config["outputs"]) != (*ATTRIBUTES, *(f"target_{g}" for g in TARGET_GROUPS)):
            raise ValueError("artifact outputs do not match this version of threadguard")
        self.fast_version = artifact.version
        self.version = artifact.version
        if self.encoder is not None:
            self.version = f"{artifact.version}+{self.encoder.version}"
        self.card = artifact.card
        self.featuriser = build_featuriser(config, Lexicon.load(artifact.lexicon_dir))
        self.featuriser.idf = artifact.idf
        self.model = MultiOutputLogistic.from_arrays(artifact.coef, artifact.intercept)
        self.compiled = CompiledLinear.build(self.featuriser, self.model)  # None: the Python path
        self.fast_thresholds: dict[str, float] = config["flag_thresholds"]
        self.flag_thresholds = self.fast_thresholds if self.encoder is None else self.encoder.flag_thresholds
        # `threadguard train --feedback` writes communities' own flag thresholds, per tier, into the
        # artifact's config (model/recalibration.py); a community without any keeps the tier's
        self.community_thresholds: dict[str, dict[str, float]] = {
            community: {**self.flag_thresholds, **thresholds}
            for community, thresholds in config.get("community_thresholds", {}).get(tier, {}).items()
        }
        self.explainer = SpanExplainer(
            self.featuriser,
            self.model,
            token_threshold=config["span_token_threshold"],
            min_probability=config["span_min_probability"],
        )
        self.languages = language_identifier or LanguageIdentifier()

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        tier: str = "auto",
        accurate_path: str | Path | None = None,
        encoder_threads: int = 0,
    ) -> Scorer:
        """The shipped default models, or the fast-tier artifact folder at `path`; the accurate tier
        comes from `accurate_path`, else `path/accurate` where it exists, else the shipped encoder.
        `encoder_threads`: onnxruntime's intra-op threads for the encoder (0: one per core)."""
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
        encoder = None
        if tier != "fast":
            if accurate_path is None and path is not None and (Path(path) / "accurate").is_dir():
                accurate_path = Path(path) / "accurate"
            encoder = EncoderArtifact.load(
                Path(accurate_path) if accurate_path else None, threads=encoder_threads
            )
        return cls(Artifact.load(Path(path) if path else None), encoder=encoder, tier=tier)

    def _fast_rows(self, texts: Sequence[str], explain: bool = False) -> FastRows:
        """The fast tier's logits, slur groups and block scales: from the compiled path where it was
        built (with every token's share of the attributes when `explain`), else from one analysis per
        text; both give the same bits."""
        parts = []
        for i in range(0, len(texts), CHUNK):
            chunk = texts[i : i + CHUNK]
            if self.compiled is not None:
                normalised = self.featuriser.normaliser.normalise_many(chunk)
                parts.append(self.compiled.rows(normalised, range(len(ATTRIBUTES)) if explain else ()))
            else:
                analyses = [self.featuriser.analyse(t) for t in chunk]
                rows, scales = self.featuriser.transform_with_scales(analyses)
                logits = self.model.decision_function(rows)
                parts.append(
                    FastRows(logits, [slur_groups_of(a.hits) for a in analyses], scales, None, analyses)
                )
        if len(parts) == 1:
            return parts[0]
        n_outputs = len(self.model.intercept_)
        return FastRows(
            np.vstack([p.logits for p in parts]) if parts else np.zeros((0, n_outputs), dtype=np.float32),
            [g for p in parts for g in p.slur_groups],
            np.vstack([p.scales for p in parts]) if parts else np.zeros((0, 2)),
            _joined([p.explained for p in parts]),
            _joined([p.analyses for p in parts]),
        )

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Logits of all outputs (attributes, then target groups), shape (n, 14), from this tier."""
        return self._logits_and_tiers(texts)[0]

    def _logits_and_tiers(
        self, texts: Sequence[str], fast: FastRows | None = None
    ) -> tuple[np.ndarray, list[str]]:
        """Logits and the tier that gave each row; `fast` (from `_fast_rows`) saves recomputing them."""
        _check_texts(texts)
        texts = [t[:MAX_CHARS] for t in texts]
        if self.tier == "accurate" and self.encoder is not None:
            groups = [self.featuriser.slur_groups(t) for t in texts]
            return self._with_slur_targets(self.encoder.logits(texts), groups), ["accurate"] * len(texts)
        if fast is None:
            fast = self._fast_rows(texts)
        logits, groups = fast.logits.copy(), fast.slur_groups
        tiers = ["fast"] * len(texts)
        if self.encoder is not None:
            fast_max = sigmoid(logits[:, : len(ATTRIBUTES)]).max(axis=1)
            unsure = np.flatnonzero(fast_max >= self.encoder.auto_threshold)
            if len(unsure):
                logits[unsure] = self.encoder.logits([texts[i] for i in unsure])
                for i in unsure:
                    tiers[i] = "accurate"
        return self._with_slur_targets(logits, groups), tiers

    def _with_slur_targets(self, logits: np.ndarray, groups: Sequence[set[str]]) -> np.ndarray:
        """The lexicon's word on whom a slur targets: a comment that uses a slur for a group attacks
        that group at least as surely as it is toxic or an identity attack, even where the model is
        unsure of the group (rare slurs, mocking spellings)."""
        column = {group: len(ATTRIBUTES) + k for k, group in enumerate(TARGET_GROUPS)}
        attack = logits[:, [ATTRIBUTES.index("TOXICITY"), ATTRIBUTES.index("IDENTITY_ATTACK")]].max(axis=1)
        for i, named in enumerate(groups):
            for group in named:
                logits[i, column[group]] = max(logits[i, column[group]], attack[i])
        return logits

    def thresholds_for(self, community: str | None = None) -> dict[str, float]:
        """The flag thresholds of `community` (None: the default community): its recalibrated ones
        where the artifact has them for this tier, else the tier's own."""
        return self.community_thresholds.get(community or DEFAULT_COMMUNITY, self.flag_thresholds)

    def is_flagged(self, attributes: Mapping[str, float], community: str | None = None) -> bool:
        """Whether any flagging attribute (all but PROFANITY) reaches the community's flag threshold."""
        thresholds = self.thresholds_for(community)
        return any(attributes[a] >= thresholds[a] for a in FLAGGING_ATTRIBUTES)

    def for_community(self, community: str | None) -> Scorer:
        """This scorer flagging with `community`'s thresholds whatever it is asked (for code that knows no
        community, e.g. the evaluation suite); it shares the loaded models."""
        view = copy.copy(self)
        view.flag_thresholds = self.thresholds_for(community)
        view.community_thresholds = {}
        return view

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Attribute probabilities, shape (n, 7), columns in ATTRIBUTES order. No spans, no language."""
        return sigmoid(self.logits(texts)[:, : len(ATTRIBUTES)])

    def predict_targets(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each comment attacks each target group, shape (n, 7), TARGET_GROUPS order."""
        return sigmoid(self.logits(texts)[:, len(ATTRIBUTES) :])

    def score(
        self, texts: Sequence[str], spans: bool = True, community: str | None = None
    ) -> list[CommentScore]:
        """Full results: probabilities, target groups, spans in UTF-16 offsets, flag and language.
        `spans=False` leaves the spans out (the accurate tier's occlusion is most of its cost);
        `community` picks the flag thresholds (see `thresholds_for`)."""
        _check_texts(texts)
        if len(texts) > CHUNK:
            return [
                result
                for i in range(0, len(texts), CHUNK)
                for result in self.score(texts[i : i + CHUNK], spans, community)
            ]
        originals = texts
        texts = [t[:MAX_CHARS] for t in texts]
        fast = None if self.tier == "accurate" else self._fast_rows(texts, explain=spans)
        logits, tiers = self._logits_and_tiers(texts, fast)
        probabilities = sigmoid(logits)
        languages = self.languages.identify(texts)
        n_attr = len(ATTRIBUTES)
        attributes_of = [dict(zip(ATTRIBUTES, map(float, p[:n_attr]), strict=True)) for p in probabilities]
        explained = self._spans(texts, attributes_of, tiers, fast) if spans else [{} for _ in texts]
        results: list[CommentScore] = []
        for i, (text, attributes, probs, language) in enumerate(
            zip(texts, attributes_of, probabilities, languages, strict=True)
        ):
            targets = {name: float(p) for name, p in zip(TARGET_GROUPS, probs[n_attr:], strict=True)}
            warnings: list[str] = []
            if len(originals[i]) > MAX_CHARS:
                warnings.append(f"TRUNCATED: only the first {MAX_CHARS} characters were scored")
            elif tiers[i] == "accurate" and self.encoder is not None and self.encoder.truncated([text])[0]:
                window = self.encoder.max_tokens
                warnings.append(f"TRUNCATED: the accurate tier read the first {window} tokens")
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
                    spans=explained[i],
                    flagged=self.is_flagged(attributes, community),
                    language=language,
                    model=self.version if tiers[i] == "accurate" else self.fast_version,
                    warnings=warnings,
                    tier=tiers[i],
                )
            )
        return results

    def _spans(
        self,
        texts: Sequence[str],
        attributes: Sequence[dict[str, float]],
        tiers: Sequence[str],
        fast: FastRows | None,
    ) -> list[dict[str, list[Span]]]:
        """The fast tier's spans come from its tokens' shares of the linear logits: as the compiled path
        found them, else from analyses (all its texts at once); the encoder's from word occlusion."""
        explained: list[dict[str, list[Span]]] = [{} for _ in texts]
        floor = self.explainer.min_probability
        todo = [
            i
            for i, tier in enumerate(tiers)
            if tier == "fast" and max(attributes[i].values(), default=0.0) >= floor
        ]
        if todo and fast is not None and fast.explained is not None:
            columns = range(len(ATTRIBUTES))
            for i in todo:
                normalised, offsets, shares = fast.explained[i]
                explained[i] = self.explainer.text_spans(
                    texts[i], normalised, offsets.tolist, attributes[i], shares, columns
                )
        elif todo and fast is not None and fast.analyses is not None:
            batch = self.explainer.batch_spans(
                [texts[i] for i in todo],
                [fast.analyses[i] for i in todo],
                [attributes[i] for i in todo],
                fast.scales[todo],
            )
            for i, found in zip(todo, batch, strict=True):
                explained[i] = found
        encoder = self.encoder
        if encoder is None:
            return explained
        for i, tier in enumerate(tiers):
            if tier == "accurate":
                explained[i] = occlusion_spans(
                    texts[i],
                    attributes[i],
                    lambda variants: sigmoid(encoder.logits(variants)[:, : len(ATTRIBUTES)]),
                    ATTRIBUTES,
                    min_probability=encoder.span_min_probability,
                    word_drop=encoder.span_word_drop,
                    normaliser=encoder.normaliser,
                )
        return explained


def _joined(parts: Sequence[list[T] | None]) -> list[T] | None:
    """The chunks' items in order; None where the chunks have none (a field of the other path)."""
    if not parts or any(part is None for part in parts):
        return None
    return [item for part in parts if part is not None for item in part]


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str):
        raise TypeError("pass a sequence of texts, e.g. [text], not a bare string")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
