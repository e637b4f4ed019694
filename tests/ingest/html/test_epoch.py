"""The Epoch comment plugin: parents named only in a "child-of-N" class."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import epoch, family_of


def test_own_page(read_page, pages):
    thread, report = read_page(pages / "epoch.html")
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("11", None, 1),
        ("12", "11", 2),
        ("13", "12", 3),
    ]
    first, second, deleted = thread.comments
    assert (first.author, first.created, first.text) == (
        "Quill Ambler",
        "May 1, 2019 at 9:00 AM",
        "First comment here.",
    )
    assert second.author == "Linkless Person"  # a name without a link, beside the avatar
    assert deleted.flags == {"deleted", "author_missing"}
    assert report.comments_read == 3


def test_real_page(read_page, shared_formats):
    """SOURCES.md: WP Tavern article, 13 comments, max depth 4."""
    path = shared_formats / "html_wordpress_comments" / "readability_wordpress_epoch_source.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is epoch
    assert len(thread.comments) == 13 and max_depth(thread) == 4
    by_id = thread.by_id()
    assert by_id["215125"].parent_id == "215114" and by_id["215114"].author == "Rarst"
    assert by_id["215219"].author == "Ammon"
    assert not any(c.text.endswith(("Reply", "Report")) for c in thread.comments)
    assert thread.title.startswith("Stack Overflow Jobs Data Shows ReactJS Skills")
