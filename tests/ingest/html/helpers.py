"""Small helpers for the page-family tests."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from threadguard.thread.model import Thread


def tree_of(path: Path) -> lxml.html.HtmlElement:
    """A page parsed on its own, for counting elements with XPath independently of the parsers."""
    return lxml.html.document_fromstring(path.read_bytes())


def max_depth(thread: Thread) -> int:
    return max((c.depth for c in thread.comments), default=0)
