"""New-Reddit thread pages. The 2019-era server render puts every comment in a flat
<div id="t1_<id>" style="padding-left:16px">: the nesting depth is only the inline padding (16px for
level 1, 21px more per level); 2023-era pages use <shreddit-comment thingid depth author>. Parents come
from the depth sequence. Authors and times the markup omits come from the page's JSON state blob."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from lxml import etree

from threadguard.ingest.html.markup import Fields, read_comment
from threadguard.thread.model import Comment

Element = etree._Element

PADDING = re.compile(r"padding-left\s*:\s*(\d+)px")
LEVEL = re.compile(r"^level (\d+)$")
FIELDS = Fields(
    author=(),
    date=(),
    content=("RichTextJSON-root", "md"),
)
SHREDDIT_FIELDS = Fields(author=(), date=(), content=("md",))


def detect(tree: Element) -> bool:
    return bool(_elements(tree))


def comments(tree: Element) -> list[Comment]:
    state = _state(tree)
    found: list[Comment] = []
    ancestors: list[str] = []  # ids of the comments enclosing the current one, by depth
    for element in _elements(tree):
        comment_id = element.get("id") or element.get("thingid") or ""
        level = _level(element)
        del ancestors[level - 1 :]
        parent_id = ancestors[-1] if ancestors else None
        fields = SHREDDIT_FIELDS if element.tag == "shreddit-comment" else FIELDS
        replies = element.xpath(".//shreddit-comment")
        comment = read_comment(element, fields, comment_id, parent_id, drop=replies)
        _enrich(comment, element, state.get(comment_id, {}))
        found.append(comment)
        ancestors.append(comment_id)
    return found


def _elements(tree: Element) -> list[Element]:
    return tree.xpath("//div[starts-with(@id, 't1_')][@style] | //shreddit-comment[@thingid]")


def _level(element: Element) -> int:
    """1 for a top-level comment, from the depth attribute, the inline padding or a "level N" label."""
    if element.get("depth", "").isdigit():
        return int(element.get("depth")) + 1
    padding = PADDING.search(element.get("style", ""))
    if padding:
        return max(1, 1 + round((int(padding.group(1)) - 16) / 21))
    for label in element.xpath(".//span/text()"):
        match = LEVEL.match(label.strip())
        if match:
            return int(match.group(1))
    return 1


def _enrich(comment: Comment, element: Element, model: dict) -> None:
    author = element.get("author") or model.get("author")
    if author:
        comment.author = author
        comment.flags.discard("author_missing")
    if isinstance(model.get("created"), int | float):
        comment.created = datetime.fromtimestamp(model["created"], UTC).isoformat()
    elif element.get("created-timestamp"):
        comment.created = element.get("created-timestamp")
    if model.get("isDeleted") or element.get("is-comment-deleted") == "true" or author == "[deleted]":
        comment.flags.add("deleted")


def _state(tree: Element) -> dict[str, dict]:
    """Comment models from the `window.___r = {...}` state script, by id; empty when absent or broken."""
    for script in tree.xpath("//script[@id='data']/text()"):
        start, end = script.find("{"), script.rfind("}")
        try:
            models = json.loads(script[start : end + 1])["comments"]["models"]
        except (ValueError, KeyError, TypeError):
            return {}
        return models if isinstance(models, dict) else {}
    return {}
