"""Stack Exchange: answers at depth 1, comments under the post they belong to."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import family_of, stackexchange


def test_own_page(read_page, pages):
    thread, _ = read_page(pages / "stackexchange.html")
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("comment-21", None, 1),  # under the question, which is the article
        ("answer-31", None, 1),
        ("comment-41", "answer-31", 2),
        ("comment-42", "answer-31", 2),
        ("answer-32", None, 1),
    ]
    by_id = thread.by_id()
    answer = by_id["answer-31"]
    assert (answer.author, answer.created) == ("Succulent Sam", "2020-01-02 10:00:00Z")  # not the editor
    assert answer.text == "Once a month at most. Write <script> tags in your notes if you like."
    assert by_id["comment-41"].created == "2020-01-02 11:00:00Z"
    assert by_id["answer-32"].author == "user777"  # a deleted account: plain text, no link
    assert "cactus on a sunny windowsill" in thread.article


def test_real_page(read_page, shared_formats):
    """SOURCES.md: 1 question, 6 answers, 14 comments; answers and question comments at depth 1."""
    path = shared_formats / "html_forum_threads" / "traf_german.stackexchange.com.ausgeraubt.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is stackexchange
    answers = [c for c in thread.comments if c.id.startswith("answer-")]
    comments = [c for c in thread.comments if c.id.startswith("comment-")]
    assert (len(answers), len(comments)) == (6, 14) and max_depth(thread) == 2
    assert all(a.depth == 1 for a in answers)
    by_id = thread.by_id()
    assert by_id["answer-10381"].author == "Earthliŋ"  # decoded as UTF-8, not mojibake
    assert by_id["comment-133229"].parent_id == "answer-10381" and by_id["comment-133229"].author == "Tony M"
    assert by_id["comment-26550"].parent_id is None
