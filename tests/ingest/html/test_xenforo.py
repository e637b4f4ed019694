"""XenForo: the embedded comment widget and forum posts."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import family_of, xenforo


def test_own_page(read_page, pages):
    thread, _ = read_page(pages / "xenforo.html")
    assert [c.id for c in thread.comments] == ["301", "302", "303"]  # not the "View All" item
    first, quoting, forum = thread.comments
    assert (first.author, first.created, first.text) == (
        "pixelpusher",
        "1 June 2021 10:00",
        "Sold out in four minutes.",
    )
    assert quoting.text.endswith("Four? Mine took two.") and quoting.parent_id is None
    assert forum.author == "forumregular" and forum.text == "Forum-style post with <script> written as text."


def test_real_page(read_page, shared_formats):
    """SOURCES.md: 10 comments with quotes and "Reply" links."""
    path = shared_formats / "html_forum_threads" / "traf_tomshardware.com.rtx.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is xenforo
    assert len(thread.comments) == 10 and max_depth(thread) == 1
    assert thread.by_id()["21968226"].author == "nostrocrompt"
    assert sum(c.text.lower().count("stupid") for c in thread.comments) == 3
    assert not any(c.text.endswith("Reply") for c in thread.comments)
