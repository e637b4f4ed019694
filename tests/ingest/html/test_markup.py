"""The shared helpers: copies that can be stripped, chrome removal, sidebar widgets."""

from __future__ import annotations

import re

import lxml.html

from threadguard.ingest.html.markup import Fields, detached, flat_posts, in_sidebar, read_comment, text_of

PAGE = """<html><body><div class="widget-area"><ul><li id="w">widget item</li></ul></div>
<div id="c"><span class="comment-author">Ann</span> wrote <p>Hello <a href="#">Reply</a> there</p>
<div class="like-count">7</div><ul class="children"><li id="r">nested reply</li></ul></div></body></html>"""


def test_detached_copy_leaves_the_page_alone():
    tree = lxml.html.document_fromstring(PAGE)
    comment = tree.get_element_by_id("c")
    clone = detached(comment, drop=comment.xpath(".//ul"))
    assert "nested reply" not in clone.text_content()
    assert "nested reply" in comment.text_content() and not tree.xpath("//*[@data-tg-drop]")


def test_text_without_chrome():
    tree = lxml.html.document_fromstring(PAGE)
    comment = tree.get_element_by_id("c")
    body = detached(comment, drop=comment.xpath(".//ul"))
    assert text_of(body, content=()) == "wrote\n\nHello there"


def test_read_comment_takes_the_author_out_of_the_text():
    tree = lxml.html.document_fromstring(PAGE)
    comment = tree.get_element_by_id("c")
    fields = Fields(author=("comment-author",), date=(), content=())
    read = read_comment(comment, fields, "c", None, drop=comment.xpath(".//ul"))
    assert (read.author, read.text, read.flags) == ("Ann", "wrote\n\nHello there", set())


def test_sidebar_widgets_are_recognised():
    tree = lxml.html.document_fromstring(PAGE)
    assert in_sidebar(tree.get_element_by_id("w")) and not in_sidebar(tree.get_element_by_id("r"))


def test_flat_posts_take_ids_from_the_pattern_or_their_place():
    tree = lxml.html.document_fromstring(
        '<html><body><div id="p7" class="post"><b class="who">Ann</b><div class="text">First</div></div>'
        '<div class="post"><div class="text">Second</div></div></body></html>'
    )
    fields = Fields(author=("who",), date=(), content=("text",))
    posts = tree.xpath("//div[@class='post']")
    found = list(flat_posts(posts, fields, re.compile(r"^p(\d+)$")))
    assert [post for post, _ in found] == posts
    assert [(c.id, c.parent_id, c.author, c.text) for _, c in found] == [
        ("7", None, "Ann", "First"),
        ("path:/html/body/div[2]", None, None, "Second"),
    ]
