"""Drupal comments: <a id="comment-N"></a> followed by the comment's <div|article class="comment">;
the replies to a comment follow it in a <div class="indented">."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, classes, has_class, path_id, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

COMMENT_ID = re.compile(r"^comment-(\d+)$")
FIELDS = Fields(
    author=("username", "comment-author", "author", "name"),
    date=("submitted", "comment-date", "date", "created"),
    content=("field-name-comment-body", "field-comment-body", "comment-body", "content"),
    chrome=("links", "submitted", "meta"),
)


def detect(tree: Element) -> bool:
    marks = f"{has_class('indented', 'comment-wrapper')} or contains(@class, 'comment-by-')"
    return bool(tree.xpath(f"//*[{marks}] | //a[contains(@href, '/comment/reply/')]"))


def comments(tree: Element) -> list[Comment]:
    containers: list[Element] = []
    for element in tree.xpath(f"//*[{has_class('comment')}][not(ancestor::*[{has_class('indented')}])]"):
        container = element.getparent()
        if container is not None and container not in containers and not _inside_comment(container):
            containers.append(container)
    found: list[Comment] = []
    for container in containers:
        _read(container, None, found)
    return found


def _inside_comment(element: Element) -> bool:
    return any("comment" in classes(ancestor) for ancestor in element.iterancestors())


def _read(container: Element, parent_id: str | None, found: list[Comment]) -> None:
    anchor: str | None = None
    previous: str | None = None
    for child in container:
        if not isinstance(child.tag, str):
            continue
        names = classes(child)
        match = COMMENT_ID.match(child.get("id", ""))
        if "comment" in names:
            comment_id = match.group(1) if match else anchor or path_id(child)
            comment = read_comment(child, FIELDS, comment_id, parent_id)
            comment.created = _date_and_time(child) or comment.created
            found.append(comment)
            previous, anchor = comment.id, None
        elif "indented" in names:
            _read(child, previous, found)
        elif match:
            anchor = match.group(1)


def _date_and_time(element: Element) -> str | None:
    """Drupal 7 themes show the date and the time in separate elements."""
    stamps = element.xpath(f".//*[{has_class('date', 'time')}]")
    parts = [" ".join(el.text_content().split()) for el in stamps]
    return " ".join(p for p in parts if p) or None
