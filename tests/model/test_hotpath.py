"""The compiled hot path (model/_hotpath.c) gives the pure-Python path's logits bit for bit, the same
slur groups and block scales, token shares equal within rounding, and so the same output lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadguard.attributes import ATTRIBUTES
from threadguard.model import hotpath
from threadguard.model.features import TokenWeights
from threadguard.model.hotpath import PURE_PYTHON_VARIABLE, CompiledLinear, compiled_path_available
from threadguard.model.lexicon import Lexicon
from threadguard.scorer import Scorer

BEHAVIOUR = Path(__file__).parents[1] / "fixtures" / "behaviour_suite.json"
needs_compiled = pytest.mark.skipif(
    hotpath._hotpath is None, reason="the compiled hot path was not built here (no C compiler at install)"
)


def test_the_compiled_path_is_built_where_ci_requires_it() -> None:
    """CI installs with a compiler and sets THREADGUARD_REQUIRE_COMPILED, so these tests never skip there."""
    if os.environ.get("THREADGUARD_REQUIRE_COMPILED") != "1":
        pytest.skip("THREADGUARD_REQUIRE_COMPILED is not set (.ci/run sets it)")
    assert hotpath._hotpath is not None and compiled_path_available()


def test_the_pure_python_variable_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    assert not compiled_path_available() and Scorer.load(tier="fast").compiled is None


@pytest.fixture(scope="module")
def scorers() -> tuple[Scorer, Scorer]:
    """(compiled, pure Python) fast tiers of the shipped model."""
    if hotpath._hotpath is None:
        pytest.skip("the compiled hot path was not built here (no C compiler at install)")
    compiled = Scorer.load(tier="fast")
    previous = os.environ.pop(PURE_PYTHON_VARIABLE, None)
    os.environ[PURE_PYTHON_VARIABLE] = "1"
    try:
        python = Scorer.load(tier="fast")
    finally:
        os.environ.pop(PURE_PYTHON_VARIABLE)
        if previous is not None:
            os.environ[PURE_PYTHON_VARIABLE] = previous
    assert compiled.compiled is not None and python.compiled is None
    return compiled, python


def behaviour_texts() -> list[str]:
    cases = json.loads(BEHAVIOUR.read_text(encoding="utf-8"))["cases"]
    return [case["text"] for case in cases]


@pytest.fixture(scope="module")
def news_comments(shared_data: Path) -> list[str]:
    frame = pd.read_csv(shared_data / "c3_constructive_comments" / "C3_anonymized.csv.gz")
    return frame["comment_text"].astype(str).tolist()[:3000]


def assert_same_rows(scorers: tuple[Scorer, Scorer], texts: list[str]) -> None:
    compiled, python = scorers
    ours, theirs = compiled._fast_rows(texts, explain=True), python._fast_rows(texts)
    assert ours.logits.dtype == theirs.logits.dtype == np.float32
    assert np.array_equal(ours.logits.view(np.int32), theirs.logits.view(np.int32))  # the same bits
    assert ours.slur_groups == theirs.slur_groups
    assert np.array_equal(ours.scales, theirs.scales)
    # every token's share of each attribute, as the explainer computes it, and where the token is
    featuriser = python.featuriser
    weights = TokenWeights(featuriser, python.model.coef_[:, : len(ATTRIBUTES)])
    analyses = [featuriser.analyse(t) for t in texts]
    shares = featuriser.batch_token_contributions(analyses, weights, theirs.scales)
    assert ours.explained is not None
    for analysis, share, (normalised, offsets, found) in zip(analyses, shares, ours.explained, strict=True):
        assert normalised == analysis.normalised
        assert offsets.tolist() == [list(span) for span in analysis.token_spans]
        assert found.shape == share.shape and np.array_equal(found.view(np.int64), share.view(np.int64))


def test_bit_identical_on_news_comments(scorers: tuple[Scorer, Scorer], news_comments: list[str]) -> None:
    assert_same_rows(scorers, news_comments)


def test_bit_identical_on_the_behaviour_suite(scorers: tuple[Scorer, Scorer]) -> None:
    """Slurs, threats, masked and leet spellings, counter-speech: every lexicon and pattern feature."""
    assert_same_rows(scorers, behaviour_texts())


LEXICON_WORDS = sorted({w for words in Lexicon.load().entries() for w in words})
PIECES = st.one_of(
    st.sampled_from(LEXICON_WORDS),
    st.sampled_from(["you", "them", "all", "should", "was", "1999", "2024", "they", "the", "lot", "we'll"]),
    st.sampled_from(
        [" ", " ", ". ", "! ", "? ", ", ", "; ", "\n", "'", "!!", "*", "0", "é", "Ж", "🙂", "\x00"]
    ),
    st.text(max_size=6),
)


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=30).map(" ".join), min_size=1, max_size=8), st.booleans())
def test_bit_identical_on_generated_texts(
    scorers: tuple[Scorer, Scorer], texts: list[str], shout: bool
) -> None:
    assert_same_rows(scorers, [t.upper() if shout else t for t in texts])


def test_the_same_lines_with_spans_and_across_runs(
    scorers: tuple[Scorer, Scorer], news_comments: list[str]
) -> None:
    compiled, python = scorers
    texts = news_comments[:1500] + behaviour_texts()
    lines = [json.dumps(r.to_line(i)) for i, r in enumerate(compiled.score(texts))]
    assert lines == [json.dumps(r.to_line(i)) for i, r in enumerate(python.score(texts))]
    assert lines == [json.dumps(r.to_line(i)) for i, r in enumerate(compiled.score(texts))]
    assert any('"spans": {"' in line for line in lines)  # the filter leaves the spans there are


@needs_compiled
def test_a_full_token_cache_starts_afresh_with_the_same_results(scorers: tuple[Scorer, Scorer]) -> None:
    compiled, _ = scorers
    small = CompiledLinear(compiled.featuriser, compiled.model, vocabulary_limit=50)
    texts = behaviour_texts()
    normalised = compiled.featuriser.normaliser.normalise_many(texts)
    expected = compiled.compiled.rows(normalised).logits  # type: ignore[union-attr]
    for _ in range(3):
        assert np.array_equal(small.rows(normalised).logits, expected)
        assert small.cached_tokens() <= 50 + len({w for t in normalised for w in t.text.split()}) * 2


@needs_compiled
def test_threads_share_one_compiled_path(scorers: tuple[Scorer, Scorer]) -> None:
    compiled, _ = scorers
    fresh = Scorer.load(tier="fast")  # an empty token cache: every thread adds tokens
    texts = behaviour_texts() * 4
    expected = compiled.predict_proba(texts)
    found: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: found.append(fresh.predict_proba(texts))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 4 and all(np.array_equal(f, expected) for f in found)


@needs_compiled
def test_bad_arguments_are_clear_errors(scorers: tuple[Scorer, Scorer]) -> None:
    compiled = scorers[0].compiled
    assert compiled is not None
    normalised = compiled.featuriser.normaliser.normalise_many(["fine", "words"])
    with pytest.raises(ValueError, match="explain must name"):
        compiled.rows(normalised, explain=[14])
    with pytest.raises(ValueError, match="differ in length"):
        compiled._hotpath.logits(["a", "b"], ["a"], *compiled_buffers(2))
    with pytest.raises(TypeError, match="lists of str"):
        compiled._hotpath.logits(["fine", 3], ["fine", "3"], *compiled_buffers(2))


def compiled_buffers(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, None]:
    """out, slur_groups, scales and explain for a direct call of the extension."""
    return np.empty((n, 14), np.float32), np.empty(n, np.int32), np.empty((n, 2)), None


@needs_compiled
def test_score_jsonl_is_byte_identical_with_and_without_the_compiled_path(tmp_path: Path) -> None:
    texts = [*behaviour_texts(), "", "   ", "ÉCRASEZ l'infâme 🙂", "w o r d s\u200b", "x" * 30_000]
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)] + ["not json", '{"id": 9}']
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for pure in ("", "1", ""):
        env = {**os.environ, PURE_PYTHON_VARIABLE: pure}
        run = subprocess.run(
            [sys.executable, "-m", "threadguard", "score", "--jsonl", "--tier", "fast"],
            stdin=source.open("rb"),
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count(b"\n") == len(lines)
