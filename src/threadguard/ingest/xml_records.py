"""Streaming XML records out of real export files, which are often not well-formed.

WordPress, Disqus and Blogger exports share the same damage: wordpress.com uses an undeclared `atom:`
prefix, some files start with a stray byte, carry HTML entities XML does not know, control characters,
unquoted attributes or bytes in the wrong encoding, or are cut off. `xml_records` reads a file as a
stream: strictly first, and only when that fails once more with a recovering parser. The WXR, Disqus and
Blogger readers all use it.
"""

from __future__ import annotations

import html.entities
import re
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from threadguard.ingest.encoding import decode
from threadguard.ingest.report import IngestReport

BOM = b"\xef\xbb\xbf"
GARBAGE_SCAN_BYTES = 64 * 1024
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ENTITY_OR_AMPERSAND = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
START_TAG = re.compile(r"<[A-Za-z][^<>]*>")
UNQUOTED_VALUE = re.compile(r"""(\s[\w:.-]+)=([^\s"'<>=]+?)(?=\s|/?>|$)""")
XML_ENTITIES = {"amp;", "lt;", "gt;", "quot;", "apos;"}
_LOCAL_NAMES: dict[object, str] = {}  # tag -> local name; a file has few distinct tags


ROOT_TAG = re.compile(
    rb"^[^<]{0,16}(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w:.-]*)", re.DOTALL
)


def root_tag(head: bytes) -> str | None:
    """The name of the first element, past a few stray bytes, the declaration, comments and doctype:
    how a sniffer tells an export from a page or a README that merely mentions its tags."""
    match = ROOT_TAG.match(head.removeprefix(BOM))
    return match.group(1).decode("ascii", errors="replace") if match else None


def local_name(element: etree._Element) -> str:
    """The tag without namespace or prefix: exports disagree on namespace URIs, and a recovering
    parser leaves undeclared prefixes in the tag ("atom:link")."""
    tag = element.tag
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2].rpartition(":")[2] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[tag] = name
    return name


def child_text(element: etree._Element, name: str) -> str | None:
    """Stripped text of the first child with this local name; None when absent or empty."""
    for child in element:
        if local_name(child) == name:
            return (child.text or "").strip() or None
    return None


def xml_records(stream: BinaryIO, report: IngestReport, wanted: dict[str, int]) -> Iterator[etree._Element]:
    """The complete elements whose local name is in `wanted` at the depth it gives (the root is depth 0),
    in document order. Each is cleared once the caller moves on, so memory stays bounded.

    Junk before the first "<" is skipped ("leading_garbage"). A strict streaming parse runs first; if it
    fails at the very end of the input, the file was cut off ("truncated_input") and the records read so far
    are all there is. A failure elsewhere re-reads the whole input into memory, repairs what can be repaired
    and parses it with lxml's recovering parser ("malformed_xml_recovered"; its non-streaming mode recovers
    far more than the streaming one), then continues after the records already given.
    """
    start = _skip_leading_garbage(stream, report)
    given = 0
    try:
        for element in _records(stream, wanted):
            given += 1
            yield element
        return
    except etree.XMLSyntaxError as error:
        failure = error
    stream.seek(start)
    data = stream.read()
    if _at_end(data, failure.position):
        report.warnings["truncated_input"] += 1
        return
    report.warnings["malformed_xml_recovered"] += 1
    parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(_repair(data, report.warnings), parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        report.warnings["unreadable_input"] += 1
        return
    for index, element in enumerate(_tree_records(root, 0, wanted, max(wanted.values()))):
        if index >= given:
            yield element
        element.clear(keep_tail=False)


def _records(source: BinaryIO, wanted: dict[str, int]) -> Iterator[etree._Element]:
    """Streaming: each record as soon as its end tag is read (lxml filters the tags, so this is fast)."""
    events = etree.iterparse(
        source,
        events=("end",),
        tag=[f"{{*}}{name}" for name in wanted],
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    )
    for _, element in events:
        parent = element.getparent()
        depth = 0
        ancestor = parent
        while ancestor is not None:
            depth, ancestor = depth + 1, ancestor.getparent()
        if wanted[local_name(element)] != depth:
            continue
        yield element
        element.clear(keep_tail=False)
        if parent is not None and wanted.get(local_name(parent)) != depth - 1:
            while element.getprevious() is not None:  # drop finished siblings so the tree never grows
                del parent[0]


def _tree_records(
    element: etree._Element, depth: int, wanted: dict[str, int], deepest: int
) -> Iterator[etree._Element]:
    """The records of an already parsed tree in the order their end tags appear (children first)."""
    if depth < deepest:
        for child in element:
            yield from _tree_records(child, depth + 1, wanted, deepest)
    if wanted.get(local_name(element)) == depth:
        yield element


def _skip_leading_garbage(stream: BinaryIO, report: IngestReport) -> int:
    """Position the stream at the first "<" (a UTF-8 BOM is not garbage) and return that offset."""
    head = stream.read(GARBAGE_SCAN_BYTES)
    offset = 0 if head.startswith(BOM) else max(head.find(b"<"), 0)
    if head[:offset].strip():
        report.warnings["leading_garbage"] += 1
    stream.seek(offset)
    return offset


def _at_end(data: bytes, position: tuple[int, int]) -> bool:
    """Did the parser fail where the input stops (a cut-off file) rather than inside it?"""
    line, column = position
    last_line = data.count(b"\n") + 1
    last_line_length = len(data) - data.rfind(b"\n") - 1
    return line > last_line or (line == last_line and column >= last_line_length - 1)


def _repair(data: bytes, warnings: Counter[str]) -> bytes:
    """Well-formed-enough UTF-8: decoded by the declared or detected encoding, with HTML entities and bare
    ampersands made XML, unquoted attribute values quoted, and characters XML forbids removed."""
    declared = DECLARED_ENCODING.match(data)
    text = decode(
        XML_DECLARATION.sub(b"", data, count=1), warnings, declared.group(1).decode() if declared else None
    )
    text = INVALID_XML_CHARS.sub("", text)
    text = ENTITY_OR_AMPERSAND.sub(_xml_entity, text)
    text = START_TAG.sub(lambda tag: UNQUOTED_VALUE.sub(r'\1="\2"', tag.group(0)), text)
    return text.encode("utf-8")


def _xml_entity(match: re.Match[str]) -> str:
    entity = match.group(1)
    if entity is None:
        return "&amp;"
    if entity.startswith("#") or entity in XML_ENTITIES:
        return match.group(0)
    character = html.entities.html5.get(entity)
    return "&amp;" + entity if character is None else html.escape(character)
