"""wpDiscuz, a WordPress comment plugin: <div class="wpd-thread-list"> of <div id="wpd-comm-<id>_<parentId>"
class="wpd-comment wpd_comment_level-N">; the parent id is in the element id (0 for top level)."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, classes, has_class, path_id, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

COMMENT_ID = re.compile(r"^wpd-comm-(\d+)_(\d+)$")
FIELDS = Fields(
    author=("wpd-comment-author",),
    date=("wpd-comment-date",),
    content=("wpd-comment-text",),
    chrome=("wpd-comment-footer", "wpd-comment-header", "wpd-space"),
)


def detect(tree: Element) -> bool:
    return bool(tree.xpath(f"//*[{has_class('wpd-thread-list')}] | //*[starts-with(@id, 'wpd-comm-')]"))


def comments(tree: Element) -> list[Comment]:
    found = []
    for element in tree.xpath(f"//*[starts-with(@id, 'wpd-comm-') or {has_class('wpd-comment')}]"):
        replies = element.xpath(f".//*[starts-with(@id, 'wpd-comm-') or {has_class('wpd-comment')}]")
        comment_id, parent_id = _ids(element)
        found.append(read_comment(element, FIELDS, comment_id, parent_id, drop=replies))
    return found


def _ids(element: Element) -> tuple[str, str | None]:
    """Id and parent from the element id; without one, the parent is the enclosing comment."""
    match = COMMENT_ID.match(element.get("id", ""))
    if match:
        return match.group(1), None if match.group(2) == "0" else match.group(2)
    enclosing = next(element.iterancestors(), None)
    while enclosing is not None and not _is_comment(enclosing):
        enclosing = enclosing.getparent()
    return path_id(element), None if enclosing is None else _ids(enclosing)[0]


def _is_comment(element: Element) -> bool:
    return element.get("id", "").startswith("wpd-comm-") or "wpd-comment" in classes(element)
