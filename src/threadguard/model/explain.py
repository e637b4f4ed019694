"""Explanation spans: runs of tokens whose share of an attribute's logit is large enough.

A span's score is how much the attribute's probability would drop without it, so the scores say
what drives the decision, in the same units as the attribute.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from threadguard.attributes import ATTRIBUTES
from threadguard.model.features import Analysis, Featuriser, RowEntries
from threadguard.model.linear import MultiOutputLogistic, sigmoid
from threadguard.scores import Span
from threadguard.text.utf16 import Utf16Index


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
        self.token_threshold = token_threshold
        self.min_probability = min_probability

    def spans(
        self,
        text: str,
        analysis: Analysis,
        attributes: dict[str, float],
        row: sparse.csr_matrix | RowEntries | None = None,
    ) -> dict[str, list[Span]]:
        wanted = [name for name in ATTRIBUTES if attributes[name] >= self.min_probability]
        if not wanted or not analysis.tokens:
            return {}
        # only the wanted attributes' columns: most comments want one or two of the fourteen
        columns = [ATTRIBUTES.index(name) for name in wanted]
        contributions = self.featuriser.token_contributions(analysis, self.model.coef_, row, columns)
        utf16 = Utf16Index(text)
        token_spans = analysis.token_spans
        result: dict[str, list[Span]] = {}
        for j, name in enumerate(wanted):
            p = attributes[name]
            logit = float(np.log(max(p, 1e-12) / max(1 - p, 1e-12)))
            spans: list[Span] = []
            for first, last, total in token_runs(contributions[:, j], self.token_threshold):
                begin, end = original_range(analysis, token_spans, first, last)
                drop = p - float(sigmoid(np.array(logit - total)))
                spans.append(Span(utf16.to_utf16(begin), utf16.to_utf16(end), max(drop, 0.0)))
            if spans:
                result[name] = spans
        return result


def original_range(
    analysis: Analysis, token_spans: list[tuple[int, int]], first: int, last: int
) -> tuple[int, int]:
    """Code-point range of the original text behind tokens first..last."""
    return analysis.normalised.to_original(token_spans[first][0], token_spans[last][1])


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
