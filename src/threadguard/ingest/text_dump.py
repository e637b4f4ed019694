"""The plain-text page dump (Resiliparse `extract_plain_text` with list bullets): a title line, article
paragraphs at column 0, then the comments as a bulleted list (grammar in ../shared/formats/README.md).

How a dump is read:
- Lines are grouped into list blocks: maximal runs of indented or blank lines (a non-blank line at column 0
  ends a block). A bullet line is 2d spaces + "• " (or "N. " for numbered <ol> items) at depth d; any other
  line at indent 2d+2 belongs to the nearest open item at depth d, in paragraphs split by blank lines
  (runs of any length count as one).
- An item is a comment with an author when its bullet line is followed by a blank line and body lines at
  2d+2, and the bullet text does not read like a sentence (over 60 characters, six words or more, ending in
  "!" or "?", or three words or more ending in "." or "…"). Otherwise it is a comment whose author is lost
  (flag author_missing, author None) and the bullet text is its first body line. A body line with no bullet
  line above it opens an author_missing comment at its depth.
- Variants from WordPress-style pages (formats/seed_dump_renders): "Name says:" / "sagt:" / "dijo:"
  headers, with the author's name before the verb; "Name Jun 20th at 2:41 am" headers (the date is cut
  off); a bullet directly followed (no blank line) by a date line and/or "Reply" line, whose author is
  the bullet text, or, when the bullet holds only a comment number, the name before " on <date>" on the
  next line; trailing "Reply" / "Antworten" / "/ Responder", "Liked by N people" and timestamp lines,
  which are dropped. The dates are not parsed (created stays None).
- Page chrome (menus, link lists, "Next post" links, footers) uses the same bullets. The comments are the
  one block with the most items that have an author, and only if at least half of its items have one;
  every other block with anything comment-like in it is skipped and counted as "list_block_skipped".
- Ids are tree paths: "c2.1" is the first reply to the second top-level comment.

Not handled: comments rendered without bullets (div-based Drupal, XenForo and Reddit pages put them at
column 0, where they read as article text), an author-less comment whose first paragraph is a short
single line followed by more paragraphs (it reads as an author header), and empty comment bodies.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from threadguard.ingest.encoding import decode
from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Comment, Thread
from threadguard.thread.tree import make_thread

SOURCE = "text-dump"
BULLET = "\u2022"
BULLET_LINE = re.compile(r"^((?:  )+)(?:\u2022|(\d{1,4})\.) (.*)$")
SNIFF_BULLET = re.compile(r"^(?:  )+(?:\u2022|\d{1,4}\.) \S", re.MULTILINE)
SAYS = re.compile(
    r"^(.+?)\s+(?:says|said|wrote|writes|sagt|schreibt|dijo|escribió|disse|a écrit|dice)\s?:$", re.I
)
NAME_BEFORE_DATE = re.compile(r"^(.+?)\s+(?:on|am|at|um|el|le|,)\s+\S*\d")
TIMESTAMP = re.compile(r"\d{1,2}:\d{2}")
DATE_WORD = re.compile(
    r"^(?:\S*\d\S*|at|on|um|am|pm|a|las|de|el|le|à|Uhr|"
    r"(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|ma[iy]|jun[ei]?|jul[yi]?|aug(?:ust)?|"
    r"sep(?:t|tember)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre)\.?)$",
    re.I,
)
LIKES = re.compile(r"^(?:Like)*(?:Liked by \d+ (?:people|person)|Like)$")
REPLY_WORDS = {"reply", "antworten", "responder", "/ responder", "répondre", "rispondi", "reply ↓", "↓ reply"}
LONG_LINE = 60


@dataclass
class _Item:
    """One list item: its bullet text (None for a body that lost its bullet line) and what follows it."""

    depth: int
    parent: _Item | None
    bullet: str | None
    paragraphs: list[list[str]] = field(default_factory=list)
    attached: bool = False  # the first paragraph follows the bullet line with no blank line between
    children: list[_Item] = field(default_factory=list)


def sniff(head: bytes, filename: str) -> bool:
    """Text with at least one list item line that does not start like markup or JSON. (Comment text may
    quote tags such as "<em>", so markup further in does not rule a dump out.)"""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text[:1] not in ("{", "[", "<") and SNIFF_BULLET.search(text) is not None


def parse(stream: BinaryIO, report: IngestReport) -> Iterator[Thread]:
    text = decode(stream.read(), report.warnings)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "  ").split("\n")
    title, article, blocks = _split_page(lines)
    candidates = []
    for block in blocks:
        roots = _items(block)
        interpreted = [(item, _interpret(item)) for item in _walk(roots)]
        with_author = sum(1 for _, (author, _, _) in interpreted if author is not None)
        if with_author:
            candidates.append((with_author * 2 >= len(interpreted), with_author, roots, interpreted))
    best = max(candidates, key=lambda c: c[:2], default=None)
    skipped = len(candidates) - (1 if best and best[0] else 0)
    if skipped:
        report.warnings["list_block_skipped"] += skipped
    comments: list[Comment] = []
    warnings: Counter[str] = Counter()
    if best and best[0]:
        _, _, roots, interpreted = best
        paths = _paths(roots)
        for item, (author, body, flags) in interpreted:
            path = paths[id(item)]
            parent = path.rpartition(".")[0] or None
            comments.append(Comment(id=path, parent_id=parent, text=body, author=author, flags=flags))
            warnings["depth_jump"] += item.parent is not None and item.depth > item.parent.depth + 1
    report.comments_read += len(comments)
    thread = make_thread(SOURCE, comments, title=title, article=article)
    thread.warnings.update(+warnings)
    yield thread


def _split_page(lines: list[str]) -> tuple[str | None, str | None, list[list[str]]]:
    """(title, article, list blocks): the first column-0 line is the title; the article is the column-0
    paragraphs after it, up to the first list block laid out like comments (bullet, blank line, body)."""
    title: str | None = None
    paragraphs: list[list[str]] = []
    blocks: list[list[str]] = []
    block: list[str] | None = None
    article_done = False
    blank = True
    for line in lines:
        stripped = line.strip()
        if line.startswith(" ") or not stripped:
            if stripped and block is None:
                block = []
                blocks.append(block)
            if block is not None:
                block.append(line.rstrip())
            blank = True
            continue
        if block is not None and _has_body(block):
            article_done = True
        block = None
        if title is None:
            title = stripped
        elif not article_done:
            if blank or not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(stripped)
        blank = False
    article = "\n\n".join("\n".join(p) for p in paragraphs) or None
    return title, article, blocks


def _has_body(block: list[str]) -> bool:
    """Does a block hold a bullet followed by a blank line and an indented body (the comment layout)?"""
    for i, line in enumerate(block[:-2]):
        if BULLET_LINE.match(line) and not block[i + 1].strip() and block[i + 2].strip():
            return True
    return False


def _items(block: list[str]) -> list[_Item]:
    """The item tree of one list block: bullets open items, other lines join the item of their indent."""
    roots: list[_Item] = []
    stack: list[_Item] = []
    last: _Item | None = None
    blank = False
    for line in block:
        if not line.strip():
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        bullet = BULLET_LINE.match(line)
        if bullet and _is_date_after_says(last, stack, blank, indent):
            bullet = None
        if bullet:
            depth = len(bullet.group(1)) // 2
            while stack and stack[-1].depth >= depth:
                stack.pop()
            item = _Item(depth, stack[-1] if stack else None, bullet.group(3).strip())
            (item.parent.children if item.parent else roots).append(item)
            stack.append(item)
            last, blank = item, False
            continue
        depth = max((indent - 2) // 2, 1)
        while stack and stack[-1].depth > depth:
            stack.pop()
        if not stack or stack[-1].depth < depth:
            item = _Item(depth, stack[-1] if stack else None, None)
            (item.parent.children if item.parent else roots).append(item)
            stack.append(item)
        item = stack[-1]
        if not item.paragraphs:
            item.attached = last is item and not blank and item.bullet is not None
        if blank or last is not item or not item.paragraphs:
            item.paragraphs.append([])
        item.paragraphs[-1].append(line.strip())
        last, blank = item, False
    return roots


def _is_date_after_says(last: _Item | None, stack: list[_Item], blank: bool, indent: int) -> bool:
    """ "23. Juni 2016" right under "Name sagt:" is the date, not a numbered item."""
    return (
        not blank
        and last is not None
        and bool(stack)
        and stack[-1] is last
        and not last.paragraphs
        and last.bullet is not None
        and SAYS.match(last.bullet) is not None
        and indent == 2 * last.depth + 2
    )


def _walk(roots: list[_Item]) -> Iterator[_Item]:
    stack = list(reversed(roots))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children))


def _paths(roots: list[_Item]) -> dict[int, str]:
    paths: dict[int, str] = {}
    stack = [(item, f"c{n}") for n, item in reversed(list(enumerate(roots, 1)))]
    while stack:
        item, path = stack.pop()
        paths[id(item)] = path
        stack.extend((child, f"{path}.{n}") for n, child in reversed(list(enumerate(item.children, 1))))
    return paths


def _interpret(item: _Item) -> tuple[str | None, str, set[str]]:
    """(author, text, flags) of one item, following the rules in the module docstring."""
    paragraphs = [list(p) for p in item.paragraphs]
    bullet = item.bullet
    if bullet is None:
        return None, _text(_drop_meta(paragraphs)), {"author_missing"}
    says = SAYS.match(bullet)
    if item.attached and (says or bullet.isdigit() or any(map(_is_meta_line, paragraphs[0]))):
        meta = paragraphs.pop(0)
        body = _drop_meta(paragraphs)
        if body:
            author = says.group(1) if says else bullet
            named = NAME_BEFORE_DATE.match(meta[0]) if bullet.isdigit() else None
            return (named.group(1) if named else author), _text(body), set()
        paragraphs.insert(0, meta)
    dated = _name_before_date(bullet)
    if paragraphs and not item.attached and (says or dated or not _reads_as_sentence(bullet)):
        body = _drop_meta(paragraphs)
        if body:
            return (says.group(1) if says else dated or bullet), _text(body), set()
    if item.attached:
        paragraphs[0].insert(0, bullet)
    else:
        paragraphs.insert(0, [bullet])
    return None, _text(_drop_meta(paragraphs) or [[bullet]]), {"author_missing"}


def _name_before_date(header: str) -> str | None:
    """ "JanBeek Jun 20th at 2:41 am" -> "JanBeek": a header ending in a timestamp starts with the author."""
    if not TIMESTAMP.search(header):
        return None
    words = header.split()
    while words and DATE_WORD.match(words[-1]):
        words.pop()
    return " ".join(words).rstrip(",") or None


def _reads_as_sentence(text: str) -> bool:
    words = len(text.split())
    return (
        len(text) > LONG_LINE
        or words >= 6
        or text.endswith(("!", "?"))
        or (words >= 3 and text.endswith((".", "…")))
    )


def _is_meta_line(line: str) -> bool:
    """A "Reply" link or a short timestamp line ("July 11, 2011 at 12:25 pm")."""
    return (
        line.lower() in REPLY_WORDS
        or LIKES.match(line) is not None
        or (len(line) <= 40 and TIMESTAMP.search(line) is not None)
    )


def _drop_meta(paragraphs: list[list[str]]) -> list[list[str]]:
    """Without trailing paragraphs made only of Reply links and timestamps."""
    while paragraphs and all(map(_is_meta_line, paragraphs[-1])):
        paragraphs.pop()
    if paragraphs and paragraphs[-1] and paragraphs[-1][-1].lower() in REPLY_WORDS:
        paragraphs[-1].pop()
        return _drop_meta(paragraphs)
    return paragraphs


def _text(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def render(thread: Thread) -> str:
    """A Thread in the dump grammar: the inverse of `parse` for comments within the grammar's limits
    (non-empty bodies; an author-less comment's first line must read as a sentence when more
    paragraphs follow)."""
    parts = [thread.title or ""]
    if thread.article:
        parts.append(thread.article)
    for comment in thread.comments:
        pad = "  " * comment.depth
        paragraphs = [p.split("\n") for p in comment.text.split("\n\n")]
        if comment.author is None:
            first = paragraphs.pop(0)
            header = [f"{pad}{BULLET} {first[0]}", *(f"{pad}  {line}" for line in first[1:])]
        else:
            header = [f"{pad}{BULLET} {comment.author}"]
        parts.append("\n".join(header))
        parts.extend("\n".join(f"{pad}  {line}" for line in p) for p in paragraphs)
    return "\n\n".join(parts)
