"""WordPress comment lists: <ol|ul class="commentlist|comment-list|comments-list"> of <li> comments,
replies in <ul|ol class="children"> inside the parent's <li>. Themes vary in where the id sits
(li#comment-N, li#li-comment-N with article#comment-N, or only div#div-comment-N)."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, classes, has_class, in_sidebar, path_id, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

LIST_CLASSES = ("commentlist", "comment-list", "comments-list")
COMMENT_ID = re.compile(r"^(?:li-|div-|article-)?comment-(\d+)$")
FIELDS = Fields(
    author=("fn", "comment-author-name", "comment__author-name", "author-name", "comment-author", "author"),
    date=("comment-metadata", "commentmetadata", "comment-date", "comment-time", "comment__time"),
    content=("comment-text", "comment-content", "contenttext", "commenttext", "comment__content"),
    author_tags=("cite",),
)


def detect(tree: Element) -> bool:
    return bool(_lists(tree))


def comments(tree: Element) -> list[Comment]:
    found: list[Comment] = []
    for comment_list in _lists(tree):
        _read_list(comment_list, None, found)
    return found


def _lists(tree: Element) -> list[Element]:
    """Outermost comment lists (a list nested in another one is read through its parent), not those of
    sidebar widgets such as "recent comments", which link to comments on other pages."""
    lists = tree.xpath(f"//ol[{has_class(*LIST_CLASSES)}] | //ul[{has_class(*LIST_CLASSES)}]")
    lists = [comment_list for comment_list in lists if not in_sidebar(comment_list)]
    inside = set()
    for comment_list in lists:
        inside.update(comment_list.iterdescendants("ol", "ul"))
    return [comment_list for comment_list in lists if comment_list not in inside]


def _read_list(comment_list: Element, parent_id: str | None, found: list[Comment]) -> None:
    """Read a list's items and their replies. A "children" list that broken markup left beside an
    item instead of inside it (wordpress.com does this) holds replies to the item before it."""
    previous: str | None = None
    for child in comment_list.iterchildren("li", "ul", "ol"):
        if child.tag != "li":
            if "children" in classes(child) and previous is not None:
                _read_list(child, previous, found)
            continue
        if not _is_comment(child):
            continue
        replies = _reply_lists(child)
        comment = read_comment(child, FIELDS, _comment_id(child, replies), parent_id, drop=replies)
        found.append(comment)
        previous = comment.id
        for reply_list in replies:
            _read_list(reply_list, comment.id, found)


def _is_comment(item: Element) -> bool:
    if classes(item) & {"comment", "pingback", "trackback"}:
        return True
    return any(COMMENT_ID.match(el.get("id", "")) for el in item.iter())


def _reply_lists(item: Element) -> list[Element]:
    """The item's own "children" lists (not those of its replies)."""
    lists = item.xpath(f".//ol[{has_class('children')}] | .//ul[{has_class('children')}]")
    return [sub for sub in lists if next(sub.iterancestors("li")) is item]


def _comment_id(item: Element, replies: list[Element]) -> str:
    nested = {el for reply_list in replies for el in reply_list.iter()}
    for el in item.iter():
        match = COMMENT_ID.match(el.get("id", ""))
        if match and el not in nested:
            return match.group(1)
    return path_id(item)
