"""phpBB 3: posts in div.post, the date as bare text or a <time>."""

from __future__ import annotations

from tests.ingest.html.helpers import tree_of
from threadguard.ingest.html import family_of, phpbb


def test_own_page(read_page, pages):
    thread, _ = read_page(pages / "phpbb.html")
    first, second = thread.comments
    assert (first.id, first.author, first.created) == ("11", "Regenwurm", "12.11.2020, 07:45")
    assert first.text == "Friert der Kompost im Winter ein?"
    assert (second.author, second.created) == ("Mulchmeister", "2020-11-12T09:00:00+00:00")
    assert second.text == "Nur die obere Schicht. <script>alert(1)</script>"


def test_real_page(read_page, shared_formats):
    """SOURCES.md: one post (the opening post only)."""
    path = shared_formats / "html_forum_threads" / "traf_foren.myoos.de.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is phpbb
    [post] = thread.comments
    assert (post.id, post.author, post.created) == ("453", "r23", "21.01.2009, 05:42")
    assert thread.title == "Was ist Freie Software"
