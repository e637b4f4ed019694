"""One logistic regression per output over a shared sparse feature matrix.

Each output learns only from the rows that say something about it (NaN = unknown), so a dataset
labelled only for hate speech does not teach THREAT that its rows are safe. Soft labels in (0, 1)
become two weighted rows, one of each class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # only named in annotations: scoring need not import scipy for this module
    from scipy import sparse


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class MultiOutputLogistic:
    """fit / decision_function / predict_proba over outputs that may each be partly unlabelled."""

    def __init__(self, C: float = 1.0, max_iter: int = 300, tol: float = 1e-4, n_jobs: int = 2) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs
        self.coef_: np.ndarray | None = None  # (n_features, n_outputs)
        self.intercept_: np.ndarray | None = None  # (n_outputs,)
        self.n_rows_: list[int] = []

    def fit(
        self, X: sparse.csr_matrix, Y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> MultiOutputLogistic:
        from joblib import Parallel, delayed  # training-only dependencies: keep scoring imports light

        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim != 2:
            raise ValueError(f"Y must be 2-D (rows, outputs), got shape {Y.shape}")
        n, k = Y.shape
        if X.shape[0] != n:
            raise ValueError(f"X has {X.shape[0]} rows but Y has {n}")
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if weight.shape != (n,):
            raise ValueError(f"sample_weight has shape {weight.shape}, expected ({n},)")
        if np.any(weight < 0) or not np.isfinite(weight).all():
            raise ValueError("sample_weight must be finite and non-negative")
        known = Y[~np.isnan(Y)]
        if known.size and (known.min() < 0 or known.max() > 1):
            raise ValueError("labels must be probabilities in [0, 1] (NaN = no label)")
        self.n_rows_ = [int((~np.isnan(Y[:, j])).sum()) for j in range(k)]
        # one process per core; joblib memory-maps X for the workers instead of copying it
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(self._fit_output)(X, Y[:, j], weight, j) for j in range(k)
        )
        self.coef_ = np.column_stack([c for c, _ in fitted]).astype(np.float32)
        self.intercept_ = np.array([b for _, b in fitted], dtype=np.float32)
        return self

    def _fit_output(
        self, X: sparse.csr_matrix, y_all: np.ndarray, weight: np.ndarray, j: int
    ) -> tuple[np.ndarray, float]:
        rows = np.flatnonzero(~np.isnan(y_all))
        if len(rows) == 0:
            raise ValueError(f"output {j} has no labelled rows")
        y = y_all[rows]
        # a soft label p is a positive row of weight p plus a negative row of weight 1 - p
        pos, neg = y > 0, y < 1
        index = np.concatenate([rows[pos], rows[neg]])
        target = np.concatenate([np.ones(pos.sum()), np.zeros(neg.sum())])
        w = np.concatenate([weight[rows[pos]] * y[pos], weight[rows[neg]] * (1 - y[neg])])
        keep = w > 0
        index, target, w = index[keep], target[keep], w[keep]
        if target.min() == target.max():
            # a small sample may hold no positive of a rare output: predict its (smoothed) base rate
            rate = (target.mean() * len(target) + 0.5) / (len(target) + 1)
            return np.zeros(X.shape[1]), float(np.log(rate / (1 - rate)))
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=self.C, solver="lbfgs", max_iter=self.max_iter, tol=self.tol)
        clf.fit(X[index], target, sample_weight=w * (len(w) / w.sum()))
        return clf.coef_[0], float(clf.intercept_[0])

    def decision_function(self, X: sparse.csr_matrix) -> np.ndarray:
        if self.coef_ is None or self.intercept_ is None:
            raise RuntimeError("model is not fitted")
        return np.asarray(X @ self.coef_) + self.intercept_

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        return sigmoid(self.decision_function(X))

    @classmethod
    def from_arrays(cls, coef: np.ndarray, intercept: Sequence[float]) -> MultiOutputLogistic:
        model = cls()
        model.coef_ = np.asarray(coef, dtype=np.float32)
        model.intercept_ = np.asarray(intercept, dtype=np.float32)
        return model
