import numpy as np
import pytest
from scipy import sparse

from threadguard.model.linear import MultiOutputLogistic


def data() -> tuple[sparse.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.random((200, 5))
    y0 = (X[:, 0] > 0.5).astype(float)
    y1 = (X[:, 1] > 0.5).astype(float)
    y1[:100] = np.nan  # the second output knows only half of the rows
    return sparse.csr_matrix(X), np.column_stack([y0, y1])


def test_each_output_learns_only_from_labelled_rows() -> None:
    X, Y = data()
    model = MultiOutputLogistic(C=10).fit(X, Y)
    assert model.n_rows_ == [200, 100]
    p = model.predict_proba(X)
    assert p.shape == (200, 2)
    assert np.mean((p[:, 0] > 0.5) == Y[:, 0]) > 0.9
    assert np.mean((p[100:, 1] > 0.5) == Y[100:, 1]) > 0.9


def test_soft_labels_pull_towards_their_value() -> None:
    X = sparse.csr_matrix(np.ones((40, 1)))
    Y = np.full((40, 1), 0.2)
    Y[:2] = [[0.0], [1.0]]
    p = MultiOutputLogistic(C=100).fit(X, Y).predict_proba(X)[0, 0]
    assert abs(p - 0.2) < 0.05


def test_fit_is_deterministic() -> None:
    X, Y = data()
    a = MultiOutputLogistic().fit(X, Y)
    b = MultiOutputLogistic().fit(X, Y)
    assert np.array_equal(a.coef_, b.coef_)


def test_single_class_output_predicts_its_base_rate() -> None:
    X, _ = data()
    model = MultiOutputLogistic().fit(X, np.zeros((200, 1)))
    p = model.predict_proba(X)
    assert np.allclose(p, p[0]) and p[0, 0] < 0.01


def test_output_without_labels_is_a_clear_error() -> None:
    X, _ = data()
    try:
        MultiOutputLogistic().fit(X, np.full((200, 1), np.nan))
    except ValueError as exc:
        assert "no labelled rows" in str(exc)
    else:
        raise AssertionError("expected ValueError")


@pytest.mark.parametrize(
    ("rows_y", "weight", "message"),
    [
        (3, None, "X has 4 rows but Y has 3"),
        (4, np.ones(3), "sample_weight has shape"),
        (4, -np.ones(4), "non-negative"),
    ],
)
def test_inputs_are_validated_like_scikit_learn(rows_y: int, weight, message: str) -> None:
    X = sparse.csr_matrix(np.eye(4))
    with pytest.raises(ValueError, match=message):
        MultiOutputLogistic().fit(X, np.zeros((rows_y, 2)), weight)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        MultiOutputLogistic().fit(X, np.full((4, 1), 2.0))
