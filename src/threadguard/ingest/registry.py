"""The one list of input formats. Each format module exposes `sniff(head, filename) -> bool`
and `parse(stream, report) -> Iterator[Thread]`; this registry is the only place that imports them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import BinaryIO

from threadguard.ingest.report import IngestReport
from threadguard.thread.model import Thread

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class InputFormat:
    name: str
    module: str  # inside threadguard.ingest
    description: str

    def _load(self) -> ModuleType:
        return importlib.import_module(f"threadguard.ingest.{self.module}")

    @property
    def sniff(self) -> Callable[[bytes, str], bool]:
        return self._load().sniff

    @property
    def parse(self) -> Callable[[BinaryIO, IngestReport], Iterator[Thread]]:
        return self._load().parse


# Order matters for `--format auto`: the first format whose sniff accepts the head wins,
# so specific formats come before the generic ones they resemble.
FORMATS: dict[str, InputFormat] = {
    f.name: f
    for f in [
        InputFormat("disqus", "disqus", "Disqus XML export (<disqus>, <thread>, <post>)"),
        InputFormat("blogger", "blogger", "Blogger Atom export"),
        InputFormat("wxr", "wxr", "WordPress WXR 1.0-1.2 and Disqus custom-import WXR"),
        InputFormat("reddit", "reddit", "Reddit thread JSON (Listing of t3 + t1, more stubs)"),
        InputFormat("pushshift", "pushshift", "Pushshift / Arctic-Shift NDJSON comments and submissions"),
        InputFormat("hn", "hn", "Hacker News Firebase items (JSON object, array or lines)"),
        InputFormat("remark42", "remark42", "Remark42 backup NDJSON, flat list or API tree"),
        InputFormat("commento", "commento", "Commento export JSON"),
        InputFormat("discourse", "discourse", "Discourse topic / posts JSON"),
        InputFormat("duoshuo", "duoshuo", "Duoshuo export JSON"),
        InputFormat("livefyre", "livefyre", "Livefyre export NDJSON (Coral importer)"),
        InputFormat("isso", "isso", "isso generic JSON import"),
        InputFormat("html", "html_page", "saved HTML page: WordPress, wpDiscuz, Drupal, forums, Reddit"),
        InputFormat("text-dump", "text_dump", "plain-text page dump as Resiliparse renders it"),
        InputFormat("jsonl", "generic", "generic JSON lines: id, parent_id, author, text, created_at"),
        InputFormat("csv", "generic_csv", "generic CSV: id, parent_id, author, text, created_at"),
    ]
}  # fmt: skip


class UnknownFormatError(ValueError):
    """The input matched no format, or a format name that does not exist was asked for."""


def get_format(name: str) -> InputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {', '.join(FORMATS)}") from None


def sniff_format(head: bytes, filename: str) -> InputFormat:
    """The first registered format that recognises this head of the input."""
    for input_format in FORMATS.values():
        if input_format.sniff(head, filename):
            return input_format
    raise UnknownFormatError(
        f"could not tell the format of {filename!r}; pass --format, one of: {', '.join(FORMATS)}"
    )
