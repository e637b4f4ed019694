"""vBulletin threads: one post per <li|div|table id="post_N|postN"> with its text in
<div id="post_message_N">. Posts are flat; replies show only as quotes inside the text."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

MESSAGE_ID = re.compile(r"^post_message_(\d+)$")


def detect(tree: Element) -> bool:
    return bool(tree.xpath("//*[starts-with(@id, 'post_message_')]"))


def comments(tree: Element) -> list[Comment]:
    found = []
    for message in tree.xpath("//*[starts-with(@id, 'post_message_')]"):
        match = MESSAGE_ID.match(message.get("id", ""))
        if not match:
            continue
        post_id = match.group(1)
        fields = Fields(
            author=("username", "bigusername"),
            date=("postdate", "date"),
            # vBulletin 4 wraps the text in .postcontent, leaving theme scripts outside it.
            content=("postcontent", f"#post_message_{post_id}"),
        )
        post = _post(message, post_id)
        comment = read_comment(post, fields, post_id, None)
        comment.created = comment.created or _stats_date(post)
        found.append(comment)
    return found


def _post(message: etree._Element, post_id: str) -> etree._Element:
    """The whole post (author and date included): the ancestor with id post_N / postN."""
    for ancestor in message.iterancestors():
        if ancestor.get("id") in (f"post_{post_id}", f"post{post_id}"):
            return ancestor
    return message


def _stats_date(post: etree._Element) -> str | None:
    """Some themes show the post date only as the first entry of the user-stats list."""
    for dd in post.xpath(".//dl[contains(@class, 'userstats')]/dd"):
        text = " ".join(dd.text_content().split())
        if re.search(r"\d", text):
            return text
    return None
