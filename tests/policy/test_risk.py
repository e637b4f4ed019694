"""Severity-weighted risk and the news policy's limits on auto-rejection, on issue 12's examples scored
by the real shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadguard.policy import Policy, PolicyError
from threadguard.policy.risk import RiskWeights
from threadguard.thread.context import Context, ContextScorer

EXAMPLES = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "policy" / "issue12.json").read_text(encoding="utf-8")
)
POLICY = Policy.load()


@pytest.fixture(scope="module")
def scorer() -> ContextScorer:
    return ContextScorer.load()


def test_certain_profanity_ranks_below_a_likely_threat() -> None:
    # the scores: PROFANITY 1.00 must not top THREAT 0.90
    assert POLICY.risk({"PROFANITY": 1.0}) < POLICY.risk({"INSULT": 0.9}) < POLICY.risk({"THREAT": 0.9})
    assert POLICY.risk({"IDENTITY_ATTACK": 0.8}) == POLICY.risk({"SEVERE_TOXICITY": 0.8})
    assert POLICY.risk({"SEXUALLY_EXPLICIT": 0.8}) > POLICY.risk({"PROFANITY": 0.8})


def test_a_target_group_and_a_worsening_context_raise_risk() -> None:
    plain = POLICY.risk({"THREAT": 0.6})
    assert POLICY.risk({"THREAT": 0.6}, targets={"religion": 0.9}) > plain
    assert POLICY.risk({"THREAT": 0.6}, context_effect={"THREAT": 0.3}) > plain
    assert POLICY.risk({"THREAT": 0.6}, context_effect={"THREAT": -0.3}) == plain  # only a raise counts
    assert POLICY.risk({"THREAT": 0.0}, targets={"religion": 1.0}) == 0.0  # naming a group is no risk
    assert POLICY.risk({"THREAT": 1.0}, targets={"religion": 1.0}) == 1.0


def test_the_news_policy_never_auto_rejects_profanity_or_one_unsure_attribute() -> None:
    assert POLICY.decide({"PROFANITY": 1.0}).action == "review"
    for attribute in ("THREAT", "IDENTITY_ATTACK", "SEVERE_TOXICITY", "SEXUALLY_EXPLICIT"):
        assert POLICY.decide({attribute: 0.98}).action == "review"
        assert POLICY.decide({attribute: 0.995}).action == "reject"
    assert POLICY.decide({"TOXICITY": 1.0, "INSULT": 1.0}).action == "review"
    # what only the thread's context added never rejects
    assert POLICY.decide({"THREAT": 0.995}, context_effect={"THREAT": 0.05}).action == "review"
    with pytest.raises(PolicyError, match="below the policy's"):
        Policy.from_dict({"reject": {"min_confidence": 0.99}, "default": {"THREAT": {"reject": 0.9}}})
    with pytest.raises(PolicyError, match="never auto-reject"):
        Policy.from_dict({"reject": {"never": ["PROFANITY"]}, "default": {"PROFANITY": {"reject": 1.0}}})


CONTEXTS = {
    "alone": Context(),
    "under-story": Context(article=f"{EXAMPLES['story_title']}\n{EXAMPLES['story']}"),
    "reply": Context(article=EXAMPLES["story_title"], parent=EXAMPLES["parent"]),
}


@pytest.mark.parametrize("context", CONTEXTS.values(), ids=CONTEXTS.keys())
def test_harsh_political_opinion_goes_to_review_not_reject(scorer: ContextScorer, context: Context) -> None:
    text = EXAMPLES["harsh_opinion"]
    score = scorer.score([text], [context])[0]
    decision = POLICY.decide(
        score.attributes, targets=score.targets, context_effect=score.context_effect, text=text
    )
    assert decision.action == "review", decision.reasons
    assert decision.risk >= 0.5  # near the top of the queue, in front of a person


def test_the_queue_order_puts_violence_above_swearing(scorer: ContextScorer) -> None:
    texts = [EXAMPLES["profane_opinion"], EXAMPLES["call_to_violence"]]
    profane, violent = scorer.score(texts, [Context(), Context()])
    assert POLICY.risk(violent.attributes, violent.targets) > POLICY.risk(profane.attributes, profane.targets)


def test_bad_risk_tables_say_what_is_wrong() -> None:
    with pytest.raises(PolicyError, match="unknown attribute 'THRET'"):
        Policy.from_dict({"risk": {"weights": {"THRET": 1.0}}})
    with pytest.raises(PolicyError, match="target_boost must be a number"):
        Policy.from_dict({"risk": {"target_boost": 2}})
    assert Policy.from_dict({}).risk_weights == RiskWeights()
