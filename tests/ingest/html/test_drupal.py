"""Drupal: ids in anchors before each comment, replies in div.indented after it."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import drupal, family_of


def test_own_page(read_page, pages):
    thread, _ = read_page(pages / "drupal.html")
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("701", None, 1),
        ("702", "701", 2),
        ("703", "702", 3),
        ("704", None, 1),
    ]
    first, reply, unpublished, removed = thread.comments
    assert (first.author, first.created, first.text) == (
        "Anonymous",
        "May 5, 2020 6:30 PM",
        "Bus lanes are long overdue.",
    )
    assert reply.text == "Agreed. <script>var x = 1;</script>"
    assert unpublished.flags == {"unapproved"}
    assert removed.flags == {"deleted", "author_missing"}


def test_real_page(read_page, shared_formats):
    """SOURCES.md: ACLU blog, 10 comments, max depth 2, anonymous authors."""
    path = shared_formats / "html_other_cms_comments" / "readability_aclu_drupal_source.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is drupal
    assert len(thread.comments) == 10 and max_depth(thread) == 2
    by_id = thread.by_id()
    assert by_id["223672"].parent_id == "223421"
    assert by_id["223395"].author == "Lars" and by_id["223379"].author == "Anonymous"
    assert by_id["223379"].created == "April 5, 2018 6:32 PM"
    assert not any(c.text.endswith("reply") for c in thread.comments)
    assert thread.title == "Facebook Is Tracking Me Even Though I’m Not on Facebook"
