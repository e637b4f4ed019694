"""phpBB 3 topics: one <div id="pN" class="post"> per post, author in .postprofile / p.author,
text in .content. Posts are flat; replies show only as quotes inside the text."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, detached, flat_posts, has_class, remove_keeping_tail
from threadguard.thread.model import Comment

Element = etree._Element

POST_ID = re.compile(r"^p(\d+)$")
LINE_WORDS = {"»", "by", "von", "par", "di", "door", "por", "-"}
FIELDS = Fields(
    author=("username", "username-coloured"),
    date=(),
    content=("content",),
    chrome=("postprofile", "post-buttons", "signature", "notice"),
)


def detect(tree: Element) -> bool:
    return bool(_posts(tree))


def comments(tree: Element) -> list[Comment]:
    found = []
    for post, comment in flat_posts(_posts(tree), FIELDS, POST_ID):
        comment.created = comment.created or _date(post)
        found.append(comment)
    return found


def _posts(tree: Element) -> list[Element]:
    return tree.xpath(f"//div[{has_class('post')}][.//*[{has_class('postbody')}]]")


def _date(post: Element) -> str | None:
    """phpBB before 3.2 prints the date as bare text in the "by » name » date" line."""
    for line in post.xpath(f".//p[{has_class('author')}]"):
        clone = detached(line)
        for el in clone.xpath(".//a | .//strong | .//*[contains(@class, 'username')]"):
            remove_keeping_tail(el)
        words = " ".join(clone.text_content().split()).split()
        while words and words[0].lower() in LINE_WORDS:
            words.pop(0)
        return " ".join(words) or None
    return None
