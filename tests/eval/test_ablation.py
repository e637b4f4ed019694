"""The ablation table: every candidate's figure per metric, side by side; teachers as candidates."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import pytest

from threadguard.attributes import ATTRIBUTES
from threadguard.eval.ablation import TeacherScorer, ablation_table, candidate, render_ablation, run_ablation
from threadguard.model.artifact import Artifact, default_model_dir


def run(value: float, version: str) -> dict:
    metric = {
        "metric": "TOXICITY ROC-AUC", "threadguard": value, "baseline": 0.89, "anchor": 0.939,
        "anchor_source": "Perspective", "goal": 0.945, "goal_op": ">=", "format": "float",
    }  # fmt: skip
    return {
        "model_version": version,
        "tasks": {"wikipedia_gn": {"title": "Wikipedia gn", "metrics": [metric]}},
        "throughput": {"texts_per_second": 100.0},
    }


def test_the_table_puts_every_candidate_beside_baseline_anchor_and_goal() -> None:
    table = ablation_table({"fast": run(0.841, "tg-1"), "accurate": run(0.938, "tg-1+enc-2")})
    (row,) = table["rows"]
    assert row["values"] == {"fast": 0.841, "accurate": 0.938}
    md = render_ablation(table, limit=None)
    assert "| Wikipedia gn | TOXICITY ROC-AUC | 0.841 | 0.938 | 0.890 | 0.939 (Perspective) | ≥ 0.945 |" in md
    assert "`tg-1+enc-2`" in md
    assert "Quick run" in render_ablation(table, limit=50)


def test_a_teacher_maps_its_six_outputs_onto_our_attributes() -> None:
    try:
        importlib.metadata.distribution("tox-block")
        pytest.importorskip("h5py")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("tox-block==0.1.2 not installed (pip install --no-deps tox-block==0.1.2)")
    from threadguard.model.teachers import JigsawTeacher

    scorer = TeacherScorer([JigsawTeacher.load("tox_block")])
    probs = scorer.predict_proba(["you are a stupid idiot", "lovely weather today"])
    assert probs.shape == (2, len(ATTRIBUTES))
    assert probs[0, ATTRIBUTES.index("INSULT")] > probs[1, ATTRIBUTES.index("INSULT")]
    assert (probs[:, ATTRIBUTES.index("SEXUALLY_EXPLICIT")] == 0).all()
    first, second = scorer.score(["you are a stupid idiot", "lovely weather today"])
    assert first.flagged and not second.flagged and first.spans == {}


def test_a_reused_candidate_is_read_back_from_its_earlier_run(tmp_path: Path) -> None:
    earlier = tmp_path / "ablation" / "accurate"
    earlier.mkdir(parents=True)
    (earlier / "eval.json").write_text(json.dumps(run(0.938, "tg-0+enc-2")))
    md = run_ablation(["accurate"], out_dir=tmp_path, reuse=["accurate"], progress=lambda _: None).read_text()
    assert "| Wikipedia gn | TOXICITY ROC-AUC | 0.938 |" in md and "`tg-0+enc-2`" in md


def test_a_reused_candidate_without_an_earlier_run_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        run_ablation(["fast"], out_dir=tmp_path, reuse=["fast"], progress=lambda _: None)


def test_a_labelled_folder_is_the_fast_tier_of_that_model() -> None:
    scorer = candidate(f"retrained={default_model_dir()}")
    assert scorer.tier == "fast" and scorer.version == Artifact.load().version
