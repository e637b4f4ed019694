"""The report writer on a synthetic results dict, and the whole suite on small subsets of the real data
with a real (tiny) scikit-learn model trained here, since the suite accepts any scorer-like object."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from threadguard.attributes import ATTRIBUTES
from threadguard.datasets import load
from threadguard.eval.report import verdict, write_report
from threadguard.eval.suite import TASKS, run_suite
from threadguard.scores import CommentScore, Span
from threadguard.text.utf16 import Utf16Index


def _synthetic_results() -> dict[str, Any]:
    curves = {
        "target": "toxic",
        "roc": {
            "threadguard": {"fpr": [0.0, 0.1, 1.0], "tpr": [0.0, 0.8, 1.0], "auc": 0.9},
            "alt-profanity-check": {"fpr": [0.0, 0.5, 1.0], "tpr": [0.0, 0.6, 1.0], "auc": 0.6},
        },
        "calibration": {
            "threadguard": {
                "confidence": [0.05, None, 0.9],
                "observed": [0.0, None, 1.0],
                "counts": [5, 0, 2],
                "ece": 0.07,
            },
        },
    }
    return {
        "model_version": "test-1",
        "date": "2025-01-01T00:00:00+00:00",
        "command": "threadguard eval",
        "limit": None,
        "baseline": "alt-profanity-check",
        "tasks": {
            "roc_task": {
                "title": "A ROC task",
                "dataset": "wikipedia_gn",
                "rows": 7,
                "notes": ["synthetic"],
                "metrics": [
                    {
                        "metric": "TOXICITY ROC-AUC",
                        "threadguard": 0.9,
                        "baseline": 0.6,
                        "anchor": 0.939,
                        "anchor_source": "Perspective",
                        "goal": 0.945,
                        "goal_op": ">=",
                        "format": "float",
                    },
                    {
                        "metric": "flagged",
                        "threadguard": 0.05,
                        "baseline": float("nan"),
                        "anchor": None,
                        "anchor_source": "",
                        "goal": 0.03,
                        "goal_op": "<=",
                        "format": "pct",
                    },
                ],
                "curves": curves,
                "thresholds": {"threadguard": {"TOXICITY": 0.42, "chosen_on": "val (3 rows)"}},
            },
            "span_task": {
                "title": "A span task",
                "dataset": "toxic_spans_semeval",
                "rows": 3,
                "notes": [],
                "metrics": [
                    {
                        "metric": "mean span F1",
                        "threadguard": 0.71,
                        "baseline": None,
                        "anchor": 0.708,
                        "anchor_source": "",
                        "goal": 0.70,
                        "goal_op": ">=",
                        "format": "float",
                    },
                ],
            },
        },
        "throughput": {"texts": 10, "seconds": 0.5, "texts_per_second": 20.0, "machine": "test"},
    }


def _image_links(markdown: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)


def test_report_writes_json_markdown_and_figures(tmp_path: Path) -> None:
    paths = write_report(_synthetic_results(), tmp_path)
    saved = json.loads(paths["json"].read_text())  # strict JSON: the NaN became null
    assert saved["tasks"]["roc_task"]["metrics"][1]["baseline"] is None
    markdown = paths["markdown"].read_text()
    links = _image_links(markdown)
    assert sorted(links) == ["figures/roc_task_calibration.png", "figures/roc_task_roc.png"]
    for link in links:
        assert (tmp_path / link).stat().st_size > 1000
    # a figure sits right after its task's table, before the next task's heading
    assert markdown.index("figures/roc_task_roc.png") < markdown.index("## A span task")
    assert markdown.index("## A ROC task") < markdown.index("figures/roc_task_roc.png")
    assert "short by 0.045" in markdown
    assert "over by 2.0 points" in markdown
    assert "TOXICITY = 0.420" in markdown


def test_verdict() -> None:
    assert verdict({"threadguard": 0.95, "goal": 0.95, "goal_op": ">="}) == "yes"
    assert verdict({"threadguard": 0.5, "goal": None}) == "report only"
    assert "short by 0.100" in verdict({"threadguard": 0.85, "goal": 0.95, "goal_op": ">="})


class TinySklearnScorer:
    """A real model, trained in the test: word TF-IDF + logistic regression for one 'harmful' label,
    copied to all seven attribute columns; spans are the words with the largest positive weights."""

    version = "tiny-sklearn-test"

    def __init__(self, texts: Sequence[str], labels: Sequence[int]) -> None:
        self.vectoriser = TfidfVectorizer(min_df=2, sublinear_tf=True)
        self.classifier = LogisticRegression(max_iter=300).fit(self.vectoriser.fit_transform(texts), labels)
        weights = self.classifier.coef_[0]
        vocabulary = self.vectoriser.vocabulary_
        self.toxic_words = {w for w, i in vocabulary.items() if weights[i] > np.quantile(weights, 0.98)}

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        p = self.classifier.predict_proba(self.vectoriser.transform(list(texts)))[:, 1]
        return np.repeat(p[:, None], len(ATTRIBUTES), axis=1)

    def score(self, texts: Sequence[str]) -> list[CommentScore]:
        probabilities = self.predict_proba(texts)
        results = []
        for text, probs in zip(texts, probabilities, strict=True):
            index = Utf16Index(text)
            spans = [
                Span(index.to_utf16(m.start()), index.to_utf16(m.end()), float(probs[0]))
                for m in re.finditer(r"\w+", text)
                if m.group(0).lower() in self.toxic_words
            ]
            results.append(
                CommentScore(
                    attributes=dict(zip(ATTRIBUTES, map(float, probs), strict=True)),
                    targets={},
                    spans={"TOXICITY": spans},
                    flagged=bool(probs[0] >= 0.5),
                    language="en",
                    model=self.version,
                )
            )
        return results

    def is_flagged(self, attributes: dict[str, float]) -> bool:
        return attributes["TOXICITY"] >= 0.5


@pytest.mark.slow
def test_run_suite_on_small_subsets(shared_data: Path, tmp_path: Path) -> None:
    train = load("hateval", shared_data).query("split == 'train'").head(3000)
    scorer = TinySklearnScorer(list(train["text"]), list(train["label"]))

    results = run_suite(scorer, shared_data, tmp_path, baseline=True, limit=60, command="pytest")

    assert set(results["tasks"]) == set(TASKS)
    assert results["model_version"] == "tiny-sklearn-test"
    for task in results["tasks"].values():
        for row in task["metrics"]:
            for value in (row["threadguard"], row["baseline"]):
                assert value is None or 0.0 <= value <= 1.0, (task["title"], row)
        for chosen in task.get("thresholds", {}).values():
            assert "test" not in chosen.get("chosen_on", "")
    assert set(results["tasks"]["hatexplain"]["thresholds"]["threadguard"]) >= {"IDENTITY_ATTACK", "TOXICITY"}
    assert results["tasks"]["olid"]["thresholds"]["threadguard"]["chosen_on"].startswith("OLID train")
    assert results["throughput"]["texts"] > 0

    markdown = (tmp_path / "eval.md").read_text()
    links = _image_links(markdown)
    assert len(links) >= 2 * 8  # ROC + reliability for every task except spans
    assert all((tmp_path / link).is_file() for link in links)
    assert json.loads((tmp_path / "eval.json").read_text())["limit"] == 60
