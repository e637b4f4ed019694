"""vBulletin: flat posts, theme scripts beside the text, ISO-8859-1 pages."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import family_of, vbulletin


def test_own_latin1_page(read_page, pages):
    thread, report = read_page(pages / "vbulletin_latin1.html")
    assert report.warnings["encoding_iso-8859-1"] == 1
    first, second = thread.comments
    assert (first.id, first.author, first.created) == ("9001", "Grünfink", "03.04.2012, 10:17")
    assert (
        first.text == "Mein Akku hält nur noch zwei Stunden. Was tun?"
    )  # the theme's ad script is not in it
    assert second.parent_id is None and second.depth == 1
    assert second.text.startswith("Zitat von Grünfink") and second.text.endswith("schön wär's.")
    assert "Grüße" not in second.text  # signature


def test_real_page(read_page, shared_formats):
    """SOURCES.md: 20 posts, ISO-8859-1, flat."""
    path = shared_formats / "html_forum_threads" / "traf_pocketpc.ch.auslieferung.html"
    thread, report = read_page(path)
    assert family_of(tree_of(path)) is vbulletin
    assert len(thread.comments) == 20 and max_depth(thread) == 1
    assert report.warnings["encoding_iso-8859-1"] == 1
    assert thread.by_id()["949757"].author == "Predator"
    assert thread.by_id()["949763"].author == "Chatfix"
    assert not any("window" in c.text for c in thread.comments)  # theme scripts beside .postcontent
    assert "PocketPC.ch App" not in thread.by_id()["949757"].text  # its app signature is a .tapatalkSignatur
    assert thread.title.startswith("Microsoft beginnt mit der Auslieferung")
