"""Hacker News items as the Firebase API serves them (`/v0/item/<id>.json`): one item, a JSON array of
items, or one item per line.

Stories, asks, jobs and polls are thread metadata (a poll's options join its article); comments are
grouped under the story their `parent` chain reaches. A chain that leaves the file ends at the missing
item, which then names the thread, and the comment whose parent is missing is flagged "orphan" by tree
assembly. Siblings follow their parent's `kids` order (HN's ranking).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from threadguard.ingest.html_text import html_to_text
from threadguard.ingest.json_input import as_id, as_text, head_text, read_records, utc_iso
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

STORY_TYPES = ("story", "job", "poll")
ITEM_TYPE = re.compile(r'"type"\s*:\s*"(?:story|comment|job|poll|pollopt)"')
ITEM_ID = re.compile(r'"id"\s*:\s*\d')
ITEM_TIME = re.compile(r'"time"\s*:\s*\d')
ITEM_URL = "https://news.ycombinator.com/item?id="


def sniff(head: bytes, filename: str) -> bool:
    text = head_text(head)
    return text.startswith(("{", "[")) and all(p.search(text) for p in (ITEM_TYPE, ITEM_ID, ITEM_TIME))


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    items: dict[str, dict[str, Any]] = {}
    for record in read_records(stream, report):
        item_id = as_id(record.get("id")) if isinstance(record, dict) else None
        if item_id is None or record.get("type") not in (*STORY_TYPES, "comment", "pollopt"):
            report.warnings["unreadable_record"] += 1
            continue
        if item_id in items:
            report.warnings["duplicate_item"] += 1
        items[item_id] = record
    yield from _threads(items, report)


def _threads(items: dict[str, dict[str, Any]], report: IngestReport) -> Iterator[Thread]:
    roots: dict[str, list[tuple[int, Comment]]] = {
        item_id: [] for item_id, item in items.items() if _is_story(item)
    }
    options: dict[str, list[str]] = {}
    rank = {as_id(kid): i for item in items.values() for i, kid in enumerate(_kids(item))}
    for item_id, item in items.items():
        if item["type"] == "pollopt":
            poll = as_id(item.get("poll")) or item_id
            options.setdefault(poll, []).append(html_to_text(as_text(item.get("text")) or ""))
            roots.setdefault(poll, [])
        elif item["type"] == "comment":
            root = _root(item_id, items)
            parent = as_id(item.get("parent"))
            top_level = parent == root and _is_story(items.get(root))
            report.comments_read += 1
            comment = _comment(item_id, item, None if top_level else parent)
            roots.setdefault(root, []).append((rank.get(item_id, len(rank)), comment))
    for root, ranked in roots.items():
        story = items[root] if _is_story(items.get(root)) else {}
        article = html_to_text(as_text(story.get("text")) or "")
        article = "\n\n".join(filter(None, [article, *options.get(root, [])])) or None
        comments = [comment for _, comment in sorted(ranked, key=lambda pair: pair[0])]
        yield make_thread(
            "hn",
            comments,
            id=root,
            url=as_text(story.get("url")) or ITEM_URL + root,
            title=as_text(story.get("title")),
            article=article,
        )


def _is_story(item: dict[str, Any] | None) -> bool:
    return item is not None and item["type"] in STORY_TYPES


def _kids(item: dict[str, Any]) -> list[Any]:
    kids = item.get("kids")
    return kids if isinstance(kids, list) else []


def _root(item_id: str, items: dict[str, dict[str, Any]]) -> str:
    """The story a comment's parent chain reaches, or the first missing item on it (or a cycle's end)."""
    seen = {item_id}
    node = item_id
    while node in items and items[node]["type"] == "comment":
        parent = as_id(items[node].get("parent"))
        if parent is None or parent in seen:
            return node
        seen.add(parent)
        node = parent
    return node


def _comment(item_id: str, item: dict[str, Any], parent_id: str | None) -> Comment:
    """`deleted` items keep their place with empty text; `dead` ones (killed by moderators or flags,
    hidden from readers) are flagged "unapproved"."""
    flags = set()
    if item.get("deleted") is True:
        flags.add("deleted")
    if item.get("dead") is True:
        flags.add("unapproved")
    author = as_text(item.get("by")) or None
    if author is None:
        flags.add("author_missing")
    return Comment(
        id=item_id,
        parent_id=parent_id,
        text=html_to_text(as_text(item.get("text")) or ""),
        author=author,
        created=utc_iso(item.get("time")),
        flags=flags,
    )
