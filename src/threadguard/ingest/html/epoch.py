"""The Epoch comments plugin for WordPress: each comment an <article id="div-comment-N">; a reply sits
in a <div class="epoch-child child-of-<parentId> level-N">, so the parent is named only in a class."""

from __future__ import annotations

import re

from lxml import etree

from threadguard.ingest.html.markup import Fields, has_class, path_id, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

CHILD_OF = re.compile(r"^child-of-(\d+)$")
COMMENT_ID = re.compile(r"^(?:div-)?comment-(\d+)$")
FIELDS = Fields(
    author=("epoch-comment-author",),
    date=("epoch-comment-link",),
    content=("epoch-comment-content",),
)


def detect(tree: Element) -> bool:
    return bool(_articles(tree))


def comments(tree: Element) -> list[Comment]:
    return [read_comment(article, FIELDS, _id(article), _parent(article)) for article in _articles(tree)]


def _articles(tree: Element) -> list[Element]:
    return tree.xpath(f"//*[{has_class('epoch-single-comment')}]")


def _id(article: Element) -> str:
    match = COMMENT_ID.match(article.get("id", ""))
    return match.group(1) if match else path_id(article)


def _parent(article: Element) -> str | None:
    for ancestor in article.iterancestors():
        for name in (ancestor.get("class") or "").split():
            match = CHILD_OF.match(name)
            if match:
                return match.group(1)
    return None
