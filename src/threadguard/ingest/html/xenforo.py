"""XenForo posts: forum pages (<article class="message" data-author id="js-post-N">, text in .bbWrapper)
and the comment widget news sites embed (<li class="xenforo-comment" id="xenforo-comment-N">).
Both are flat; replies show only as quotes inside the text."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, flat_posts, has_class
from threadguard.thread.model import Comment

Element = etree._Element

POST_ID = re.compile(r"^(?:xenforo-comment|js-post|post)-(\d+)$")
FIELDS = Fields(
    author=("author-name", "message-name", "username"),
    date=("post-date", "u-dt", "message-attribution-main"),
    content=("bbWrapper", "js-read-more", "message-body", "xenforo-comment-content"),
    chrome=("message-attribution", "message-footer", "message-signature"),
)


def detect(tree: Element) -> bool:
    return bool(_posts(tree))


def comments(tree: Element) -> list[Comment]:
    found = []
    for post, comment in flat_posts(_posts(tree), FIELDS, POST_ID):
        comment.author = comment.author or post.get("data-author") or None
        if comment.author:
            comment.flags.discard("author_missing")
        found.append(comment)
    return found


def _posts(tree: Element) -> list[Element]:
    widget = f"//*[{has_class('xenforo-comment')}][starts-with(@id, 'xenforo-comment-')]"
    return tree.xpath(f"{widget} | //article[{has_class('message')}][@data-author]")
