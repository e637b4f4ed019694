"""Thread scoring: every comment gets a line, replies see their parent, empty comments are kept."""

from __future__ import annotations

import pytest

from threadguard.thread.context import ContextScorer
from threadguard.thread.model import Comment
from threadguard.thread.scoring import score_thread, thread_context
from threadguard.thread.tree import make_thread


@pytest.fixture(scope="module")
def scorer() -> ContextScorer:
    return ContextScorer.load()


def thread():
    return make_thread(
        "jsonl",
        [
            Comment("1", None, "What a lovely piece about the folk festival.", "ann"),
            Comment("2", "1", "", "bob", flags={"deleted"}),
            Comment("3", "2", "I agree with the deleted comment.", "cy"),
        ],
        title="Folk festival returns",
        article="The festival is back after three years.",
    )


def test_each_comment_sees_the_article_and_its_parent() -> None:
    t = thread()
    index = t.by_id()
    first = thread_context(t, t.comments[0], index)
    assert first.article == "Folk festival returns\nThe festival is back after three years."
    assert first.parent is None
    assert thread_context(t, t.comments[1], index).parent == "What a lovely piece about the folk festival."
    assert thread_context(t, t.comments[2], index).parent is None  # the parent has no text left


def test_lines_carry_the_thread_position_and_empty_comments_are_not_dropped(scorer) -> None:
    lines = [s.to_line() for s in score_thread(thread(), scorer)]
    assert [line["id"] for line in lines] == ["1", "2", "3"]
    assert [line["depth"] for line in lines] == [1, 2, 3]
    assert lines[1]["not_scored"] and lines[1]["flags"] == ["deleted"]
    assert lines[2]["parent_id"] == "2" and lines[2]["author"] == "cy"
    assert set(lines[0]["attributes"]) and "context_effect" in lines[0]


def test_no_context_gives_the_engines_own_scores(scorer) -> None:
    scored = score_thread(thread(), scorer, use_context=False)
    own = scorer.scorer.score([scored[0].comment.text])[0]
    assert scored[0].score.attributes == own.attributes and scored[0].score.context_effect == {}
