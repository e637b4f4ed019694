"""Comment bodies that arrive as HTML (Disqus messages, WXR content, saved pages) as plain text."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr", "section", "article", "header", "footer", "dd", "dt", "hr",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "button", "form", "iframe"}
MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|&[#a-zA-Z0-9]+;")


def html_to_text(markup: str) -> str:
    """Visible text with paragraph breaks kept; entities decoded; plain text passes through unchanged."""
    if not MARKUP.search(markup):
        return markup.strip()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(markup).strip()
    return element_text(root)


def element_text(element: etree._Element) -> str:
    """The visible text of an already parsed element, blocks separated by blank lines, <br> by one."""
    parts: list[str] = []
    _walk(element, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t\r\f\v\xa0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIP_TAGS:
        parts.append(" " if element.tail is None else element.tail)
        return
    if tag == "br":
        parts.append("\n")
    elif tag in BLOCK_TAGS:
        parts.append("\n\n")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if tag in BLOCK_TAGS and tag != "br":
        parts.append("\n\n")
    if element.tail:
        parts.append(element.tail)
