"""Explanation spans: runs of tokens whose share of an attribute's logit is large enough.

A span's score is how much the attribute's probability would drop without it, so the scores say
what drives the decision, in the same units as the attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.model.features import Analysis, Featuriser, TokenWeights, token_spans
from threadguard.model.linear import MultiOutputLogistic, sigmoid
from threadguard.scores import Span
from threadguard.text.normalise import NormalisedText
from threadguard.text.utf16 import Utf16Index

BATCH = 256  # texts explained at once: bounds the (tokens x attributes) work arrays


class SpanExplainer:
    """Finds the spans of the ORIGINAL text (UTF-16 offsets) behind each attribute score."""

    def __init__(
        self,
        featuriser: Featuriser,
        model: MultiOutputLogistic,
        token_threshold: float,
        min_probability: float,
    ) -> None:
        self.featuriser = featuriser
        self.model = model
        # the attributes' weight columns, each contiguous: gathering from one copies nothing else
        self._weights = TokenWeights(featuriser, np.asfortranarray(model.coef_[:, : len(ATTRIBUTES)]))
        self.token_threshold = token_threshold
        self.min_probability = min_probability

    def batch_spans(
        self,
        texts: Sequence[str],
        analyses: Sequence[Analysis],
        attributes: Sequence[dict[str, float]],
        scales: np.ndarray | None = None,
    ) -> list[dict[str, list[Span]]]:
        """The spans of each text, BATCH texts at a time (`scales` = their rows' block scales, from
        `Featuriser.transform_with_scales`)."""
        floor = self.min_probability
        wanted = [[name for name in ATTRIBUTES if scores[name] >= floor] for scores in attributes]
        todo = [i for i, names in enumerate(wanted) if names and analyses[i].tokens]
        results: list[dict[str, list[Span]]] = [{} for _ in texts]
        for b in range(0, len(todo), BATCH):
            batch = todo[b : b + BATCH]
            # only the wanted attributes' columns: most comments want one or two of the fourteen
            columns = sorted({ATTRIBUTES.index(name) for i in batch for name in wanted[i]})
            contributions = self.featuriser.batch_token_contributions(
                [analyses[i] for i in batch],
                self._weights,
                None if scales is None else scales[batch],
                columns,
            )
            for i, row in zip(batch, contributions, strict=True):
                normalised = analyses[i].normalised
                offsets = partial(token_spans, normalised.text)  # found only for a text with a span
                results[i] = self.text_spans(texts[i], normalised, offsets, attributes[i], row, columns)
        return results

    def text_spans(
        self,
        text: str,
        normalised: NormalisedText,
        token_spans: Callable[[], Sequence[tuple[int, int]]],
        attributes: dict[str, float],
        shares: np.ndarray,
        columns: Sequence[int],
    ) -> dict[str, list[Span]]:
        """The spans of one text from its tokens' shares of the `columns` attributes' logits (tokens x
        columns; `token_spans`: their offsets in `normalised`, asked for only when there is a span)."""
        if not len(shares):
            return {}
        hot = (shares.max(axis=0) > self.token_threshold).tolist()  # most texts have no span at all
        by_attribute = {ATTRIBUTES[c]: shares[:, j] for j, c in enumerate(columns) if hot[j]}
        wanted = [
            name for name in ATTRIBUTES if name in by_attribute and attributes[name] >= self.min_probability
        ]
        utf16: Utf16Index | None = None
        offsets: Sequence[tuple[int, int]] = []
        result: dict[str, list[Span]] = {}
        for name in wanted:
            runs = token_runs(by_attribute[name], self.token_threshold)
            if not runs:
                continue
            if utf16 is None:  # offsets are found only for texts with a span
                utf16, offsets = Utf16Index(text), token_spans()
            p = attributes[name]
            logit = float(np.log(max(p, 1e-12) / max(1 - p, 1e-12)))
            spans: list[Span] = []
            for first, last, total in runs:
                begin, end = original_range(normalised, offsets, first, last)
                drop = p - float(sigmoid(np.array(logit - total)))
                spans.append(Span(utf16.to_utf16(begin), utf16.to_utf16(end), max(drop, 0.0)))
            result[name] = spans
        return result


def original_range(
    normalised: NormalisedText, token_spans: Sequence[tuple[int, int]], first: int, last: int
) -> tuple[int, int]:
    """Code-point range of the original text behind tokens first..last."""
    return normalised.to_original(token_spans[first][0], token_spans[last][1])


def token_runs(contributions: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """(first token, last token, summed contribution) of each run of tokens above the threshold."""
    runs: list[tuple[int, int, float]] = []
    selected = np.flatnonzero(contributions > threshold)
    for t in selected:
        t = int(t)
        if runs and runs[-1][1] == t - 1:
            first, _, total = runs[-1]
            runs[-1] = (first, t, total + float(contributions[t]))
        else:
            runs.append((t, t, float(contributions[t])))
    return runs
