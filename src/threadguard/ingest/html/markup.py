"""Helpers every page family shares: find elements by class, and turn one comment's markup into its
author, date and text without the page chrome (author line, date, "Reply" links, votes, avatars)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from threadguard.ingest.html_text import element_text
from threadguard.thread.model import Comment

Element = etree._Element

# Class-name fragments of elements that surround a comment's text but are not part of it.
CHROME_HINTS = (
    "avatar", "reply", "vote", "like", "rating", "share", "report", "edit-link", "comment-edit",
    "metadata", "comment-meta", "comment__meta", "says", "vcard", "comment-author", "author-name",
    "comment-date", "comment-time", "post-date", "permalink", "flag", "actions", "toolbar", "badge",
    "comment-number", "screen-reader", "signatur", "awaiting-moderation", "usertitle",
)  # fmt: skip
# Link and button labels that are controls, in the languages of the pages we have seen.
CONTROL_WORDS = {
    "reply", "antworten", "responder", "répondre", "rispondi", "beantworten", "report", "melden",
    "quote", "zitat", "like", "share", "teilen", "edit", "bearbeiten", "permalink", "flag",
}  # fmt: skip
SAID = re.compile(
    r"\s*\b(says|said|wrote|sagt|schreibt|schrieb|dijo|escribió|a écrit|disse|zegt)\s*:?\s*$", re.I
)
DELETED = re.compile(
    r"^\[?(deleted|removed|gelöscht|entfernt)\]?$"
    r"|^(this )?(comment|post|message) (has been |was )?(deleted|removed)\.?$"
    r"|^(dieser )?(kommentar|beitrag) wurde (gelöscht|entfernt)\.?$",
    re.I,
)
ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Fields:
    """Where one page family keeps a comment's parts: class names, most specific first."""

    author: tuple[str, ...]
    date: tuple[str, ...]
    content: tuple[str, ...]
    chrome: tuple[str, ...] = ()  # class-name fragments of chrome besides CHROME_HINTS
    author_tags: tuple[str, ...] = ()  # tags to take the author from when no class matches


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def has_class(*names: str) -> str:
    """An XPath predicate: the element carries one of these class tokens."""
    return " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in names)


def first_by_class(root: Element, names: Iterable[str]) -> Element | None:
    """The first descendant (or root itself) with a class token from `names` ("#x": with id x),
    earlier names preferred."""
    for name in names:
        test = f"@id = '{name[1:]}'" if name.startswith("#") else has_class(name)
        found = root.xpath(f"descendant-or-self::*[{test}][1]")
        if found:
            return found[0]
    return None


def detached(element: Element, drop: Iterable[Element] = ()) -> Element:
    """A copy of `element` to strip chrome from, without the elements in `drop` (nested replies)."""
    dropped = set(drop)
    marks = [(el, el.get("data-tg-drop")) for el in dropped]
    for el, _ in marks:
        el.set("data-tg-drop", "1")
    try:
        clone = copy.deepcopy(element)
    finally:
        for el, old in marks:
            if old is None:
                del el.attrib["data-tg-drop"]
            else:
                el.set("data-tg-drop", old)
    for el in clone.xpath(".//*[@data-tg-drop]"):
        remove_keeping_tail(el)
    clone.tail = None
    return clone


def author_of(body: Element, fields: Fields) -> tuple[str | None, Element | None]:
    """The author's display name and the element it came from: the first element with one of the
    author classes (or tags), without avatar, date and "says:" decorations."""
    found = first_by_class(body, fields.author)
    for tag in fields.author_tags:
        if found is not None:
            break
        found = next(iter(body.xpath(f".//{tag}")), None)
    if found is None:
        return None, None
    clone = detached(found)
    decorations = ("avatar", "says", "date", "time", "badge", "usertitle", "rank")
    for el in clone.xpath(".//img | .//time | .//*[@class]"):
        if el.tag in ("img", "time") or any(d in (el.get("class") or "") for d in decorations):
            remove_keeping_tail(el)
    name = SAID.sub("", " ".join(element_text(clone).split())).strip(" ·•|:-–—")
    return name or None, found


def date_of(body: Element, names: Iterable[str]) -> str | None:
    """When the comment was written: a machine-readable datetime when the page has one, else the date
    an element shows on hover (its title), else the visible date text as given."""
    for el in body.xpath(".//time[@datetime]"):
        if ISO_START.match(el.get("datetime", "")):
            return el.get("datetime")
    found = first_by_class(body, names)
    if found is None:
        found = next(iter(body.xpath(".//time")), None)
    if found is None:
        return None
    if re.search(r"\d", found.get("title", "")):
        return found.get("title")
    text = " ".join(element_text(detached(found)).split())
    return text or None


def text_of(body: Element, content: Iterable[str], chrome: Iterable[str] = ()) -> str:
    """The comment's own words.

    `body` must be a detached copy (it is stripped in place). The text comes from the first element
    with a class in `content`, or the whole body, minus elements whose class contains a chrome hint or
    one of `chrome`, minus control links such as "Reply". A <script> inside a comment is something a
    commenter wrote: it is kept as visible source text, never run and never dropped.
    """
    root = first_by_class(body, content)
    root = body if root is None else root
    root.tail = None
    _strip_chrome(root, CHROME_HINTS + tuple(chrome))
    scripts = root.xpath(".//script")
    for script in scripts:
        attrs = "".join(f' {k}="{v}"' for k, v in script.attrib.items())
        _replace_with_text(script, f"<script{attrs}>{script.text or ''}</script>")
    return element_text(root)


def _strip_chrome(element: Element, hints: tuple[str, ...]) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        if _is_chrome(child, hints):
            remove_keeping_tail(child)
        else:
            _strip_chrome(child, hints)


def _is_chrome(element: Element, hints: tuple[str, ...]) -> bool:
    if element.tag in ("img", "button"):
        return True
    if any(hint in token.lower() for token in classes(element) for hint in hints):
        return True
    if element.tag == "a":
        return " ".join(element.text_content().split()).lower() in CONTROL_WORDS
    return False


def read_comment(
    element: Element, fields: Fields, id: str, parent_id: str | None, drop: Iterable[Element] = ()
) -> Comment:
    """One Comment from its markup; `drop` are nested replies inside `element` that are not its text."""
    body = detached(element, drop)
    author, author_element = author_of(body, fields)
    created = date_of(body, fields.date)
    if author_element is not None and _is_byline(author_element, body, fields):
        remove_keeping_tail(author_element)
    pending = bool(body.xpath(f".//*[{has_class('comment-awaiting-moderation', 'moderation-notice')}]"))
    text = text_of(body, fields.content, fields.chrome)
    names = classes(element)
    flags = names & {"pingback", "trackback"}
    if DELETED.match(text) or names & {"deleted", "comment-deleted", "is-deleted"}:
        flags.add("deleted")
    if pending or names & {"unpublished", "comment-unpublished", "unapproved"}:
        flags.add("unapproved")
    if author is None:
        flags.add("author_missing")
    return Comment(id=id, parent_id=parent_id, text=text, author=author, created=created, flags=flags)


def flat_posts(
    posts: Iterable[Element], fields: Fields, post_id: re.Pattern[str]
) -> Iterator[tuple[Element, Comment]]:
    """(post, comment) for each post of a flat forum page, where replies show only as quotes: no parents,
    and the id is the first group of `post_id` matched against the element's id (its place when none)."""
    for post in posts:
        match = post_id.match(post.get("id", ""))
        yield post, read_comment(post, fields, match.group(1) if match else path_id(post), None)


def _is_byline(element: Element, body: Element, fields: Fields) -> bool:
    """An author element that holds no comment text, so it can go from the text."""
    content = first_by_class(body, fields.content)
    holds_content = content is not None and content in element.iter()
    return element is not body and not element.xpath(".//p") and not holds_content


def in_sidebar(element: Element) -> bool:
    """Inside a sidebar widget, such as "recent comments" lists that reuse the comment markup."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):  # page-wide classes say what the page has, not where
            break
        names = {name.lower() for name in classes(ancestor)} | {ancestor.get("id", "").lower()}
        if any(name.startswith(("widget", "sidebar")) for name in names):
            return True
    return False


def path_id(element: Element) -> str:
    """An id for a comment the page gave none: where it sits in the document."""
    return "path:" + element.getroottree().getpath(element)


def remove_keeping_tail(element: Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    _replace_with_text(element, "")


def _replace_with_text(element: Element, text: str) -> None:
    parent = element.getparent()
    joined = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)
