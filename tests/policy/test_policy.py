from __future__ import annotations

import pytest

from threadguard.policy import Policy, PolicyError


def test_the_shipped_policy_reviews_threats_early_and_rejects_only_certain_ones() -> None:
    policy = Policy.load()
    assert policy.decide({"THREAT": 0.995}).action == "reject"
    assert policy.decide({"THREAT": 0.95}).action == "review"
    assert policy.decide({"THREAT": 0.5}).action == "review"
    assert policy.decide({"THREAT": 0.5}).reasons == ["THREAT >= 0.35"]
    assert policy.decide({"TOXICITY": 0.1}).action == "approve"
    assert policy.decide({"PROFANITY": 0.99}).action == "review"  # swearing alone is never auto-rejected


def test_communities_override_single_attributes() -> None:
    policy = Policy.load()
    assert policy.decide({"PROFANITY": 0.99}, "sports").action == "approve"
    assert policy.decide({"THREAT": 0.995}, "sports").action == "reject"  # inherited from [default]
    assert policy.decide({"INSULT": 0.7}, "unknown-community").action == "review"


def test_strictest_action_wins() -> None:
    policy = Policy.from_dict({"default": {"INSULT": {"review": 0.5}, "THREAT": {"reject": 0.8}}})
    decision = policy.decide({"INSULT": 0.9, "THREAT": 0.85})
    assert (decision.action, decision.status, decision.reasons) == ("reject", "rejected", ["THREAT >= 0.8"])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"default": {"TOXICTY": {"review": 0.5}}}, "unknown attribute 'TOXICTY'"),
        ({"default": {"TOXICITY": {"review": 1.5}}}, "probability"),
        ({"default": {"TOXICITY": {"review": 0.9, "reject": 0.5}}}, "below its review"),
        ({"default": {"TOXICITY": {"block": 0.5}}}, "review = p, reject = p"),
        ({"defaults": {}}, "unknown sections"),
    ],
)
def test_bad_policies_say_what_is_wrong(raw: dict, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.from_dict(raw)


def test_unreadable_file(tmp_path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text("[default\n")
    with pytest.raises(PolicyError, match="cannot read policy"):
        Policy.load(bad)
