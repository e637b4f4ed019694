"""WordPress WXR 1.0-1.2 exports and Disqus's custom-import WXR: one Thread per item with comments.

Items are read as a stream with `xml_records`, which also recovers the many real exports that are not
well-formed XML (wordpress.com's undeclared `atom:` prefix, stray leading bytes, HTML entities).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.report import IngestReport
from threadguard.ingest.xml_records import child_text, local_name, root_tag, xml_records
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

SOURCE = "wxr"
APPROVAL_FLAGS = {"0": "unapproved", "hold": "unapproved", "spam": "spam", "trash": "deleted"}
APPROVED = {"1", "", "approve", "approved"}
TYPE_FLAGS = {"pingback": "pingback", "trackback": "trackback"}


def sniff(head: bytes, filename: str) -> bool:
    return root_tag(head) == "rss" and (b"wordpress.org/export" in head or b"<wp:comment" in head)


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    """Items are read one at a time; comments of an item cut off by truncation still come out."""
    item: dict[str, str | None] | None = None
    comments: list[Comment] = []
    for element in xml_records(stream, report, {"item": 2, "comment": 3}):
        if local_name(element) == "comment":
            if item is None:
                item = _item_meta(element.getparent())
            comments.append(_comment(element))
            report.comments_read += 1
            continue
        if comments:
            yield make_thread(SOURCE, comments, **(item or _item_meta(element)))
        item, comments = None, []
    if comments:  # the last item never ended: the input was cut off inside it
        yield make_thread(SOURCE, comments, **(item or {}))


def _item_meta(item: etree._Element | None) -> dict[str, str | None]:
    if item is None:
        return {}
    fields = {local_name(child): child for child in item}
    content = fields.get("encoded")
    ids = (child_text(item, name) for name in ("thread_identifier", "post_id", "guid", "link"))
    return {
        "id": next((value for value in ids if value), None),
        "url": child_text(item, "link"),
        "title": child_text(item, "title"),
        "article": html_to_text(content.text or "") if content is not None and content.text else None,
    }


def _comment(element: etree._Element) -> Comment:
    fields = {local_name(child): (child.text or "").strip() for child in element}
    flags = set()
    approved = fields.get("comment_approved", "")
    if approved not in APPROVED:
        flags.add(APPROVAL_FLAGS.get(approved, "unapproved"))
    kind = TYPE_FLAGS.get(fields.get("comment_type", ""))
    if kind:
        flags.add(kind)
    parent = fields.get("comment_parent", "")
    return Comment(
        id=fields.get("comment_id") or f"line{element.sourceline}",
        parent_id=parent if parent not in ("", "0") else None,
        text=html_to_text(fields.get("comment_content", "")),
        author=html_to_text(fields.get("comment_author", "")) or None,
        created=_wp_date(fields.get("comment_date_gmt", ""), utc=True)
        or _wp_date(fields.get("comment_date", "")),
        flags=flags,
    )


def _wp_date(value: str, utc: bool = False) -> str | None:
    """WordPress's "YYYY-MM-DD HH:MM:SS" as ISO 8601; the all-zero placeholder means no date."""
    if not value or value.startswith("0000"):
        return None
    iso = value.replace(" ", "T", 1)
    return iso + "Z" if utc and len(iso) == 19 else iso
