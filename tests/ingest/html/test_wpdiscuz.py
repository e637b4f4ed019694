"""wpDiscuz: parent ids in the element id, votes and dates around the text."""

from __future__ import annotations

from tests.ingest.html.helpers import tree_of
from threadguard.ingest.html import family_of, wpdiscuz


def test_own_page(read_page, pages):
    thread, report = read_page(pages / "wpdiscuz.html")
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("501", None, 1),
        ("502", "501", 2),
        ("503", None, 1),
    ]
    first, reply, deleted = thread.comments
    assert (first.author, first.created, first.text) == (
        "Ferry Watcher",
        "2 March 2022 14:05",
        "The 8 o'clock ferry is gone?",
    )
    assert reply.text == "It moved to 8:30, sorry <b>everyone</b>."  # escaped markup is the commenter's text
    assert "12" not in first.text and "Reply" not in first.text
    assert deleted.flags == {"deleted", "author_missing"}
    assert report.comments_read == 3  # the CSS rules naming wpd-comm- are not comments


def test_real_page_with_one_comment(read_page, shared_formats):
    """SOURCES.md: 1 comment, level 1; the rest is lazy-loaded."""
    path = shared_formats / "html_wpdiscuz" / "traf_mein-mmo.de-MMORPG.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is wpdiscuz
    [comment] = thread.comments
    assert (comment.id, comment.author, comment.depth) == ("1188851", "Luripu", 1)
    assert comment.created == "1. November 2023 10:50"


def test_real_page_with_an_empty_thread(read_page, shared_formats):
    """SOURCES.md says one rendered comment, but the saved page's thread list is empty: the page's own
    counter says data-comments-count="0" and no element has a wpd-comm- id (both checked with XPath)."""
    path = shared_formats / "html_wpdiscuz" / "traf_dominicantoday.com-air.html"
    tree = tree_of(path)
    assert tree.xpath("//*[@data-comments-count]/@data-comments-count") == ["0"]
    assert not tree.xpath("//*[starts-with(@id, 'wpd-comm-')]")
    thread, _ = read_page(path)
    assert family_of(tree) is wpdiscuz
    assert thread.comments == [] and thread.warnings["no_comments_found"] == 1
    assert thread.title.startswith("Iberojet")
