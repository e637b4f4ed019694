"""The recalibration rule: which labels count, when a threshold may move, and where it goes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from threadguard.model.artifact import default_model_dir
from threadguard.model.recalibration import Rule, check_output, choose, labels_by_community


def test_moderator_decisions_label_toxicity_and_suggested_scores_their_attribute() -> None:
    rows = [
        {"text": "a", "labels": {"TOXICITY": 1.0, "THREAT": 0.2, "NOT_OURS": 1.0}, "source": "suggestscore",
         "community": "Coral:https://c.example"},
        {"text": "b", "labels": {"moderator": "rejected"}, "source": "moderator", "community": "news"},
        {"text": "c", "labels": {"moderator": "approved"}, "source": "moderator", "community": "news"},
        {"text": "b", "labels": {"TOXICITY": 0.0}, "source": "suggestscore", "community": "news"},
    ]  # fmt: skip
    labels = labels_by_community(rows)
    coral = {(x.attribute, x.positive) for x in labels["Coral:https://c.example"]}
    assert coral == {("TOXICITY", True), ("THREAT", False)}
    news = {x.text: (x.attribute, x.positive, x.source) for x in labels["news"]}
    # "b" was rejected, then a client suggested TOXICITY 0: the later label counts, once
    assert news == {"b": ("TOXICITY", False, "suggestscore"), "c": ("TOXICITY", False, "moderator")}


def test_the_chosen_threshold_maximises_f1_within_the_bound() -> None:
    scores = np.array([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.9])
    positive = np.array([False, False, False, True, True, True, True, True])
    new, reason, f1_old, f1_new = choose(scores, positive, 0.5, Rule(max_change=0.4))
    assert "bounded" not in reason
    assert new == pytest.approx(0.2) and f1_new == pytest.approx(1.0) and f1_old < f1_new
    bounded, why, _, f1_bounded = choose(scores, positive, 0.5, Rule(max_change=0.2))
    assert bounded == pytest.approx(0.3) and "bounded" in why and f1_old < f1_bounded < 1.0
    kept, why, _, _ = choose(scores, positive, 0.2, Rule())
    assert kept == 0.2 and why.startswith("kept")


def test_output_next_to_the_package_or_the_base_model_is_refused(tmp_path: Path) -> None:
    for inside in (default_model_dir(), default_model_dir() / "new", default_model_dir().parent.parent):
        with pytest.raises(ValueError, match="inside or around"):
            check_output(inside, tmp_path / "base", force=True)
    with pytest.raises(ValueError, match="base model"):
        check_output(tmp_path / "base" / "out", tmp_path / "base", force=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        check_output(tmp_path / "notes", default_model_dir(), force=False)
    with pytest.raises(ValueError, match="not a threadguard model"):
        check_output(tmp_path / "notes", default_model_dir(), force=True)
    check_output(tmp_path / "fresh", default_model_dir(), force=False)  # a new folder is fine
