"""The behaviour suite (tests/fixtures/behaviour_suite.json) on both tiers: what a news moderator needs.

Known misses are strict xfails that carry the measured figure (tests/fixtures/behaviour_known_misses.json),
so a fix shows up as an XPASS to be recorded and a regression as a failure.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from threadguard.scorer import Scorer

FIXTURES = Path(__file__).parent / "fixtures"
CASES = json.loads((FIXTURES / "behaviour_suite.json").read_text())["cases"]
KNOWN_MISSES = json.loads((FIXTURES / "behaviour_known_misses.json").read_text())
TIERS = ("fast", "accurate")


@functools.cache
def scorer_for(tier: str) -> Scorer:
    return Scorer.load(tier=tier)


def _params() -> list:
    params = []
    for tier in TIERS:
        for case in CASES:
            miss = KNOWN_MISSES.get(tier, {}).get(case["id"])
            marks = [pytest.mark.xfail(strict=True, reason=f"known miss: {miss}")] if miss else []
            params.append(pytest.param(tier, case, marks=marks, id=f"{tier}-{case['id']}"))
    return params


def check(scorer: Scorer, case: dict) -> list[str]:
    """What is wrong with the scorer's result for one case (empty: it behaves)."""
    result = scorer.score([case["text"]])[0]
    problems = []
    if case["expect"] == "flagged" and not result.flagged:
        problems.append("not flagged")
    if case["expect"] == "clean" and result.flagged:
        problems.append("flagged")
    if "attribute" in case:
        name = case["attribute"]
        threshold = scorer.flag_thresholds[name]
        above = result.attributes[name] >= threshold
        if above != (case["expect"] == "flagged"):
            problems.append(f"{name} {result.attributes[name]:.2f} vs threshold {threshold:.2f}")
    for name, most in case.get("max", {}).items():
        if result.attributes[name] >= most:
            problems.append(f"{name} {result.attributes[name]:.2f} >= {most}")
    if "target" in case:
        top = max(result.targets, key=lambda g: result.targets[g])
        if top != case["target"] or result.targets[top] < 0.5:
            problems.append(f"target {top} {result.targets[top]:.2f}, wanted {case['target']}")
    return problems


@pytest.mark.parametrize(("tier", "case"), _params())
def test_behaviour(tier: str, case: dict) -> None:
    problems = check(scorer_for(tier), case)
    assert not problems, f"{case['text']!r}: {problems}"
