"""Small inputs for the batch tests, built in temporary folders: JSON lines with bad lines mixed in, and
WARC / WET files written with warcio, gzipped per record like Common Crawl's."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COMMENTS = (FIXTURES / "batch" / "comments.txt").read_text(encoding="utf-8").splitlines()
BAD_LINES = [b"{not json\n", b"[1, 2]\n", b'{"id": "no-text"}\n', b'{"id": "blank", "text": "  "}\n']


def write_jsonl(path: Path, rows: int, bad_every: int = 0) -> dict[str, list[int]]:
    """`rows` good lines (ids "c<n>"), a bad line after every `bad_every` good ones and one cp1252 line;
    returns the line numbers of good and bad lines."""
    lines = {"good": [], "bad": []}
    with open(path, "wb") as f:
        number = 0
        for i in range(rows):
            number += 1
            text = f"{COMMENTS[i % len(COMMENTS)]} (comment {i})"
            if i == 3:
                f.write(
                    json.dumps({"id": f"c{i}", "text": text + " café"}, ensure_ascii=False).encode("cp1252")
                    + b"\n"
                )
            else:
                f.write(json.dumps({"id": f"c{i}", "text": text, "author": f"a{i % 7}"}).encode() + b"\n")
            lines["good"].append(number)
            if bad_every and i % bad_every == bad_every - 1:
                number += 1
                f.write(BAD_LINES[(i // bad_every) % len(BAD_LINES)])
                lines["bad"].append(number)
    return lines


def warc_record_bytes(writer_records: list[tuple[str, str, bytes, str | None]]) -> bytes:
    """A WARC file (gzip per record) of (type, url, payload, http content type or None) records."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for kind, url, payload, content_type in writer_records:
        http = None
        if kind == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        elif content_type is not None:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        headers = {"WARC-Identified-Content-Language": "eng"} if kind == "conversion" else None
        record = writer.create_warc_record(
            url, kind, payload=io.BytesIO(payload), http_headers=http, warc_headers_dict=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def gzip_members(data: bytes) -> list[int]:
    """Start offsets of the gzip members of `data` (one per WARC record)."""
    offsets, position = [], 0
    while position < len(data):
        offsets.append(position)
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[position:])
        position = len(data) - len(decompressor.unused_data)
    return offsets


def batch_cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "threadguard", "batch", *map(str, args)]


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(batch_cli(*args), capture_output=True, text=True, timeout=timeout)
