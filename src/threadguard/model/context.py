"""How context moves a score: a small residual logistic model on top of the comment's own logits.

The in-context logit of each attribute is the comment's own logit plus `features @ weights`. The features
describe the context (its scores, whether it names a group the comment points at), so when no context is
given every feature is 0 and the score is exactly the comment's own: context can move a score, never
re-calibrate the engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from threadguard.attributes import ATTRIBUTES

FEATURES = (
    *(f"parent_{a}" for a in ATTRIBUTES),
    *(f"article_{a}" for a in ATTRIBUTES),
    "refers_back_to_group",  # elliptic reference ("them", "the lot") and the context names a group
    "refers_back_x_threat",  # ... times the comment's own THREAT probability
    "refers_back_x_toxicity",
    "refers_back_x_insult",
)


class ContextModel:
    """One weight vector per attribute over FEATURES; L2-regularised, no intercept (see module doc)."""

    def __init__(self, l2: float = 1.0) -> None:
        self.l2 = l2
        self.weights_ = np.zeros((len(FEATURES), len(ATTRIBUTES)))

    def fit(self, features: np.ndarray, own_logits: np.ndarray, labels: np.ndarray) -> ContextModel:
        """`labels` (n, 7) in [0, 1] with NaN where the source does not say; each attribute is fitted
        on its labelled rows only."""
        for j in range(len(ATTRIBUTES)):
            known = ~np.isnan(labels[:, j])
            if known.sum() == 0:
                continue
            x, offset, y = features[known], own_logits[known, j], labels[known, j]

            def loss(w: np.ndarray, x: np.ndarray = x, offset: np.ndarray = offset, y: np.ndarray = y):
                z = offset + x @ w
                p = 1.0 / (1.0 + np.exp(-z))
                value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * self.l2 * w @ w
                return value, x.T @ (p - y) + self.l2 * w

            result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
            self.weights_[:, j] = result.x
        return self

    def decision_function(self, features: np.ndarray, own_logits: np.ndarray) -> np.ndarray:
        return own_logits + features @ self.weights_

    def save(self, path: Path) -> None:
        weights = {
            f: [round(float(w), 6) for w in row] for f, row in zip(FEATURES, self.weights_, strict=True)
        }
        path.write_text(json.dumps({"attributes": ATTRIBUTES, "weights": weights}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> ContextModel:
        data = json.loads(path.read_text())
        if tuple(data["attributes"]) != tuple(ATTRIBUTES) or set(data["weights"]) != set(FEATURES):
            raise ValueError(f"{path} does not match this version's context features")
        model = cls()
        model.weights_ = np.array([data["weights"][f] for f in FEATURES], dtype=float)
        return model
