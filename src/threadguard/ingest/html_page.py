"""Saved HTML pages (format "html"): one Thread per page, its comments read by the first page family
in `threadguard.ingest.html` that recognises the markup, its title and article text by trafilatura."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

import lxml.html
import trafilatura
from lxml import etree

from threadguard.ingest.encoding import decode
from threadguard.ingest.html import family_of
from threadguard.ingest.html_text import element_text
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread
from threadguard.thread.tree import make_thread

SOURCE = "html"
PROLOGUE = re.compile(rb"^(?:\s+|\xef\xbb\xbf|<!--.*?-->|<\?xml[^>]*>)*", re.S)
META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
END_OF_PAGE = re.compile(r"</html\s*>", re.I)


def sniff(head: bytes, filename: str) -> bool:
    """An HTML document: starts with a doctype or <html> (after whitespace, BOM and comments), or is
    named .html / .htm."""
    if filename.lower().endswith((".html", ".htm")):
        return True
    start = head[PROLOGUE.match(head).end() :][:20].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    """One Thread for the page; a page with no comment markup we know is a Thread without comments,
    warned "no_comments_found", since its article may still be worth keeping."""
    data = stream.read()
    declared = META_CHARSET.search(data[:8192])
    text = XML_DECLARATION.sub("", decode(data, report.warnings, declared and declared.group(1).decode()))
    if not text.strip():
        report.warnings["empty_input"] += 1
        return
    if not END_OF_PAGE.search(text[-8192:]):  # the end of a saved page, or of what is left of it
        report.warnings["truncated_input"] += 1
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        report.warnings["unreadable_record"] += 1
        return
    family = family_of(tree)
    comments = family.comments(tree) if family else []
    report.comments_read += len(comments)
    title, article, url = _article(text, tree, report.warnings)
    thread = make_thread(SOURCE, comments, id=url, url=url, title=title, article=article)
    if not comments:
        thread.warnings["no_comments_found"] += 1
    yield thread


def _article(
    text: str, tree: etree._Element, warnings: Counter[str]
) -> tuple[str | None, str | None, str | None]:
    """Title, article text and canonical URL; trafilatura first, the page's <h1> / <title> as fallback."""
    try:
        document = trafilatura.bare_extraction(text, include_comments=False, with_metadata=True)
    except Exception:  # trafilatura on hostile markup: counted, and the comments are still read
        warnings["article_extraction_failed"] += 1
        document = None
    title = document.title if document else None
    if not title:
        heading = tree.xpath("//h1 | //title")
        title = " ".join(element_text(heading[0]).split()) if heading else None
    article = document.text if document else None
    url = document.url if document else None
    return title or None, article or None, url or None
