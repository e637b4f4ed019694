"""Behaviour of the shipped models on hand-written cases, spans in UTF-16, and bad inputs.

`behaviour.json` holds the fast tier's cases (its 0.5 cut-offs); the contract tests (spans, bad input,
determinism, batching) run on every tier. The behaviour suite of both tiers is test_behaviour_suite.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.scorer import TIERS, Scorer
from threadguard.text.utf16 import utf16_length

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "behaviour.json").read_text())


@pytest.fixture(scope="module")
def fast() -> Scorer:
    return Scorer.load(tier="fast")


@pytest.fixture(scope="module", params=TIERS)
def scorer(request: pytest.FixtureRequest) -> Scorer:
    return Scorer.load(tier=request.param)


def _cases() -> list:
    return [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["known_miss"]))
        if "known_miss" in c
        else c
        for c in FIXTURES["cases"]
    ]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["text"][:40])
def test_behaviour(fast: Scorer, case: dict) -> None:
    result = fast.score([case["text"]])[0]
    for name in case.get("high", []):
        assert result.attributes[name] >= 0.5, f"{name} too low: {result.attributes}"
    for name in case.get("low", []):
        assert result.attributes[name] < 0.5, f"{name} too high: {result.attributes}"
    if "target" in case:
        assert max(result.targets, key=result.targets.get) == case["target"], result.targets


@pytest.mark.parametrize("case", FIXTURES["spans"], ids=lambda c: c["text"][:40])
def test_spans_cover_the_offending_words_in_utf16(scorer: Scorer, case: dict) -> None:
    text = case["text"]
    start = text.index(case["covers"])
    begin = utf16_length(text[:start])
    end = begin + utf16_length(case["covers"])
    spans = scorer.score([text])[0].spans[case["attribute"]]
    assert any(s.begin <= begin and end <= s.end for s in spans), (spans, begin, end)
    for s in spans:
        assert 0 <= s.begin < s.end <= utf16_length(text)
        assert 0.0 <= s.score <= 1.0


def test_predict_proba_matches_score(scorer: Scorer) -> None:
    texts = ["You are a complete idiot.", "Lovely weather for the match."]
    probs = scorer.predict_proba(texts)
    results = scorer.score(texts)
    assert probs.shape == (2, len(ATTRIBUTES))
    for row, result in zip(probs, results, strict=True):
        assert [round(float(p), 5) for p in row] == [round(result.attributes[a], 5) for a in ATTRIBUTES]
    assert scorer.predict_targets(texts).shape == (2, len(TARGET_GROUPS))


def test_scores_are_deterministic(scorer: Scorer) -> None:
    text = "Gallows for every traitor in that parliament."
    assert scorer.score([text])[0] == Scorer.load(tier=scorer.tier).score([text])[0]


def test_language_is_reported(scorer: Scorer) -> None:
    german, english = scorer.score(
        ["Ich finde diesen Artikel sehr gut geschrieben und ausgewogen.", "I found this article balanced."]
    )
    assert german.language == "de"
    assert any("LANGUAGE_NOT_SUPPORTED" in w for w in german.warnings)
    assert english.language == "en" and not english.warnings


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "\ud800 lone surrogate \udfff", "bell\x07 and nul\x00 chars", "😀🔥💯", "x" * 1_000_000],
    ids=["empty", "whitespace", "lone-surrogates", "control-chars", "emoji-only", "1MB"],
)
def test_bad_input_gives_a_result_not_a_crash(scorer: Scorer, text: str) -> None:
    result = scorer.score([text])[0]
    assert set(result.attributes) == set(ATTRIBUTES)
    assert all(0.0 <= p <= 1.0 for p in result.attributes.values())
    if not text.strip():
        assert any("COMMENT_EMPTY" in w for w in result.warnings)
    json.dumps(result.to_line("x"))


def test_non_strings_are_a_clear_error(scorer: Scorer) -> None:
    with pytest.raises(TypeError, match="not str"):
        scorer.score([None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="bare string"):
        scorer.score("a bare string")


def test_large_batches_give_the_same_results_as_small_ones(scorer: Scorer) -> None:
    from threadguard.scorer import CHUNK

    texts = [
        f"comment {i}: you are a complete idiot" if i % 3 else f"comment {i} on the budget"
        for i in range(CHUNK + 5)
    ]
    whole = scorer.predict_proba(texts)
    assert whole.shape == (CHUNK + 5, len(ATTRIBUTES))
    assert (whole[-5:] == scorer.predict_proba(texts[-5:])).all()
    if scorer.tier == "fast":  # score() chunks on the fast path; the encoder reads one text at a time
        assert len(scorer.score(texts)) == CHUNK + 5
    assert scorer.predict_proba([]).shape == (0, len(ATTRIBUTES))


def test_spans_can_be_left_out_without_changing_the_scores(scorer: Scorer) -> None:
    texts = ["Honestly you are an idiot and a liar.", "Lovely weather for the match."]
    with_spans, without = scorer.score(texts), scorer.score(texts, spans=False)
    assert with_spans[0].spans and all(not r.spans for r in without)
    assert [r.attributes for r in without] == [r.attributes for r in with_spans]


PROFANITY_GRADES = json.loads((Path(__file__).parent / "fixtures" / "profanity_grades.json").read_text())
AMBIGUOUS_MASKS = {  # a mask that fits several censored words: the normaliser leaves it alone
    "What a load of s**t from the council.": "s**t fits two censored lexicon words (shit, slut)",
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=AMBIGUOUS_MASKS[t]))
        if t in AMBIGUOUS_MASKS
        else t
        for t in PROFANITY_GRADES["strong"]
    ],
)
@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_profanity_is_graded_and_masked_spellings_still_count(tier: str, text: str) -> None:
    """Mild words ("hell", "damn", "crap") score below strong ones, in plain, masked or leet spelling,
    and never flag a comment on their own."""
    scorer = Scorer.load(tier=tier)
    mild = scorer.score(PROFANITY_GRADES["mild"], spans=False)
    assert not any(r.flagged for r in mild)
    strong = scorer.score([text], spans=False)[0].attributes["PROFANITY"]
    assert strong > max(r.attributes["PROFANITY"] for r in mild)
