"""WordPress comment lists: our own page with every quirk, then the real saved pages in ../shared."""

from __future__ import annotations

import pytest

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import family_of, wordpress

# file: (comment elements, max depth) as SOURCES.md states them; see the two tests below for the
# pages where the markup disagrees with SOURCES.md.
SAMPLES = {
    "traf_youhadmeatgardening.com.lemon.html": (25, 2),
    "traf_flawlessfood.co.uk.olive.html": (24, 2),
    "traf_elavegan.com-Peanut.html": (18, 2),
    "traf_foxyfolksy.com.buttercream.html": (80, 4),
    "traf_thenervousbreakdown.com.loneliest.html": (11, 2),
    "traf_blog.wordpress.com.diverse.html": (13, 3),
    "traf_cubadebate.cu-sesiona.html": (11, 3),
    "traf_netzpolitik.org.abmahnungen.html": (74, 5),
    "traf_uebermedien.de-Israel.html": (17, 1),
    "traf_exxpress.at-zaehne.html": (25, 2),
    "traf_golfpost.de-premiere.html": (33, 3),
    "traf_theoriginalcopy.de.baby.html": (52, 2),
}


def test_own_page_tree_fields_and_flags(read_page, pages):
    thread, report = read_page(pages / "wordpress.html")
    by_id = thread.by_id()
    assert report.comments_read == len(thread.comments) == 7  # the sidebar widget's comment is not read
    assert "900" not in by_id
    assert [(c.id, c.depth) for c in thread.comments[:3]] == [("101", 1), ("102", 2), ("103", 3)]
    assert by_id["103"].parent_id == "102"
    first = by_id["101"]
    assert (first.author, first.created) == ("Marigold Pike", "2021-02-03T10:15:00+00:00")
    assert first.text == "A floating ball worked for us too.\n\nWe also used a small heater."
    assert by_id["103"].author == "Tadpole Fan" and by_id["103"].created == "February 4, 2021 at 8:00 am"
    assert "Antworten" not in by_id["103"].text and "says" not in by_id["103"].text
    assert by_id["104"].flags == {"deleted", "author_missing"}
    assert by_id["105"].flags == {"unapproved"} and by_id["105"].text == "Could the pump be moved indoors?"
    assert by_id["107"].flags == {"pingback", "author_missing"}
    nameless = [c for c in thread.comments if c.id.startswith("path:")]
    assert [c.author for c in nameless] == ["Nameless Tree"]


def test_script_in_a_comment_is_text(read_page, pages):
    thread, _ = read_page(pages / "wordpress.html")
    text = thread.by_id()["102"].text
    assert '<script>alert("frog")</script>' in text  # escaped in the page: typed by the commenter
    assert '<script>document.title = "pwned by a comment";</script>' in text  # a real element: kept as text


def test_own_page_title_and_article(read_page, pages):
    thread, _ = read_page(pages / "wordpress.html")
    assert thread.title == "Why my pond froze twice"
    assert "floating ball helps" in thread.article
    assert "Marigold" not in thread.article


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_pages_counts_and_depth(read_page, shared_formats, name):
    path = shared_formats / "html_wordpress_comments" / name
    thread, report = read_page(path)
    assert family_of(tree_of(path)) is wordpress
    assert (len(thread.comments), max_depth(thread)) == SAMPLES[name]
    assert report.comments_read == len(thread.comments)
    assert thread.title and thread.article
    assert all(c.text for c in thread.comments)
    assert not any("Reply" in c.text[-8:] or "Antworten" in c.text[-12:] for c in thread.comments)


def test_real_page_parents_and_authors(read_page, shared_formats):
    thread, _ = read_page(
        shared_formats / "html_wordpress_comments" / "traf_netzpolitik.org.abmahnungen.html"
    )
    by_id = thread.by_id()
    assert by_id["2058234"].parent_id == "2058226" and by_id["2058234"].author == "Rafael"
    assert by_id["2058234"].created == "2016-06-23T18:47:47+02:00"
    assert thread.title.startswith("Die Cider Connection")
    cuba, _ = read_page(shared_formats / "html_wordpress_comments" / "traf_cubadebate.cu-sesiona.html")
    reply = cuba.by_id()["10353921"]
    assert (reply.author, reply.parent_id, reply.depth) == ("rebelde", "10353767", 2)
    assert not reply.text.startswith("rebelde")  # the "X dijo:" author line is not text


def test_wordpress_com_replies_left_beside_their_parent(read_page, shared_formats):
    """wordpress.com's markup closes the <li> before its "children" list; the list still belongs to it."""
    thread, _ = read_page(shared_formats / "html_wordpress_comments" / "traf_blog.wordpress.com.diverse.html")
    by_id = thread.by_id()
    assert by_id["411829"].parent_id == "411811" and by_id["411831"].parent_id == "411829"
    assert by_id["411829"].author == "Andrea Middleton"


def test_pingbacks_counted_apart(read_page, shared_formats):
    """SOURCES.md: "12 li (20 comment ids incl. anchors)". The list has 20 items, 8 of them pingbacks
    (counted here with XPath); the 12 are the comments people wrote."""
    path = shared_formats / "html_wordpress_comments" / "traf_californiaglobe.com.amazon.html"
    thread, _ = read_page(path)
    pingbacks = len(
        tree_of(path).xpath("//ol[contains(@class, 'comment-list')]//li[contains(@class, 'pingback')]")
    )
    assert pingbacks == 8
    assert len(thread.comments) == 20
    assert sum("pingback" not in c.flags for c in thread.comments) == 12
    assert max_depth(thread) == 2


def test_sidebar_widget_comments_are_not_the_pages(read_page, shared_formats):
    """SOURCES.md says 59 distinct comment ids, but 5 of them are the sidebar "recent comments" widget
    (comments on other posts). Counted independently: li ids in comment lists outside the widget."""
    path = shared_formats / "html_wordpress_comments" / "traf_spektrum.de.engelbart.html"
    thread, _ = read_page(path)
    tree = tree_of(path)
    in_page = tree.xpath("//ol[contains(@class, 'commentlist')][not(ancestor::*[contains(@class, 'widget')])]"
                         "//li[starts-with(@id, 'li-comment-')]")  # fmt: skip
    assert len(in_page) == 54
    assert len(thread.comments) == 54 and max_depth(thread) == 2
    assert thread.by_id()["2812"].parent_id == "2772"


def test_archive_page_is_flat(read_page, shared_formats):
    """SOURCES.md: 33 / 2, noting 10 ul.children. Those lists are the sidebar's page and category menus
    (none is inside the comment list, checked with XPath), so the thread is flat; the list's 34th item
    is a pingback."""
    path = shared_formats / "html_wordpress_comments" / "traf_archive.org.the-pain.net.silkroad.html"
    thread, _ = read_page(path)
    assert tree_of(path).xpath("count(//ol[@class='commentlist']//ul[contains(@class, 'children')])") == 0
    assert len(thread.comments) == 34 and max_depth(thread) == 1
    assert sum("pingback" not in c.flags for c in thread.comments) == 33
