"""Context-aware scoring: elliptic replies judged by their article, nothing moved without context."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from threadguard.model.context import FEATURES, ContextModel
from threadguard.thread.context import Context, ContextScorer

CASES = json.loads((Path(__file__).parents[1] / "fixtures" / "context_behaviour.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def scorer() -> ContextScorer:
    return ContextScorer.load()


@pytest.mark.parametrize("case", CASES["group_attacks"], ids=lambda c: c["text"][:30])
def test_an_elliptic_attack_is_judged_against_the_group_of_its_article(scorer, case) -> None:
    alone, in_context = scorer.score([case["text"]] * 2, [None, Context(article=case["article"])])
    assert in_context.attributes["IDENTITY_ATTACK"] > alone.attributes["IDENTITY_ATTACK"] + 0.1
    assert in_context.context_effect["IDENTITY_ATTACK"] > 0.1
    assert max(in_context.targets, key=in_context.targets.get) == case["group"]
    assert in_context.flagged


def _with_known_misses(cases: list[dict]) -> list:
    return [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["known_miss"]))
        if "known_miss" in c
        else c
        for c in cases
    ]


@pytest.mark.parametrize(
    "case", _with_known_misses(CASES["harmless_in_context"]), ids=lambda c: c["text"][:30]
)
def test_a_harmless_reply_stays_unflagged_in_its_context(scorer, case) -> None:
    (result,) = scorer.score([case["text"]], [Context(article=case["article"])])
    assert not result.flagged, result.attributes
    assert result.attributes["THREAT"] < 0.5


def test_the_elliptic_threat_rises_under_a_story_about_a_group(scorer) -> None:
    text = CASES["group_attacks"][1]["text"]
    neutral, group = scorer.score(
        [text] * 2,
        [
            Context(article="Council to repair potholes on Main Street"),
            Context(article=CASES["group_attacks"][1]["article"]),
        ],
    )
    assert group.attributes["THREAT"] > neutral.attributes["THREAT"]
    assert group.attributes["IDENTITY_ATTACK"] > neutral.attributes["IDENTITY_ATTACK"] + 0.1


def test_without_context_the_scores_are_the_engines_own(scorer) -> None:
    texts = [c["text"] for c in CASES["group_attacks"]]
    plain = scorer.scorer.score(texts)
    for result in (scorer.score(texts, [None] * 3), scorer.score(texts, [Context()] * 3)):
        for own, got in zip(plain, result, strict=True):
            assert got.attributes == own.attributes
            assert got.context_effect == {}
            assert got.model == scorer.scorer.version
    rows, _, groups = scorer.features(texts, [None, Context(), Context(article="  ")])
    assert not rows.any() and not any(groups)


def test_the_effect_is_the_difference_and_the_version_names_both_models(scorer) -> None:
    case = CASES["group_attacks"][0]
    alone, in_context = scorer.score([case["text"]] * 2, [None, Context(article=case["article"])])
    for name, delta in in_context.context_effect.items():
        assert delta == pytest.approx(in_context.attributes[name] - alone.attributes[name])
    assert in_context.model.startswith(scorer.scorer.version + "+ctx-")
    assert in_context.to_line("x")["context_effect"] == {
        k: round(v, 6) for k, v in in_context.context_effect.items()
    }


def test_texts_and_contexts_must_pair_up(scorer) -> None:
    with pytest.raises(ValueError, match="contexts"):
        scorer.score(["a", "b"], [None])


def test_context_model_round_trips_and_rejects_foreign_files(tmp_path) -> None:
    model = ContextModel()
    model.weights_ = np.random.default_rng(0).normal(size=(len(FEATURES), 7)).round(6)
    model.save(tmp_path / "context.json")
    assert np.array_equal(ContextModel.load(tmp_path / "context.json").weights_, model.weights_)
    data = json.loads((tmp_path / "context.json").read_text())
    data["weights"].pop(FEATURES[0])
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="context features"):
        ContextModel.load(tmp_path / "bad.json")


def test_fit_moves_only_labelled_attributes() -> None:
    rng = np.random.default_rng(1)
    features = rng.normal(size=(200, len(FEATURES)))
    labels = np.full((200, 7), np.nan)
    labels[:, 0] = (features[:, 0] > 0).astype(float)
    model = ContextModel().fit(features, np.zeros((200, 7)), labels)
    assert model.weights_[0, 0] > 1.0
    assert not model.weights_[:, 1:].any()
