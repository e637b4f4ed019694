"""Open an input file, gzip or not, so that a cut-off or corrupt gzip stream ends the data instead of
raising: everything that decompresses is delivered, and the damage is reported afterwards with the
compressed byte offset where it was found.

Python's gzip module raises EOFError or BadGzipFile at the damage and loses the block it was decoding;
FastWARC silently stops; neither says which records were intact. Here the block that fails is decoded
again byte by byte, so every byte before the damage is delivered (the JSON-lines reader then counts the
cut line). Common Crawl files are many gzip members (one per record), so members are followed. Output is
decompressed in bounded pieces: a small file that inflates to gigabytes never sits in memory at once.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
READ_SIZE = 1 << 16
MAX_PIECE = 1 << 18  # decompressed bytes made per step


@dataclass(frozen=True)
class Damage:
    """Where a gzip stream stopped early: `reason` is "truncated_gzip" (the file ends inside a member)
    or "corrupt_gzip" (bad data or checksum); `offset` is the compressed byte where it was found."""

    reason: str
    offset: int
    detail: str

    def __str__(self) -> str:
        return f"{self.detail} (at compressed byte {self.offset:,}; everything before it was read)"


class GzipMembers(io.RawIOBase):
    """The decompressed bytes of all gzip members of `raw`, stopping cleanly at damage (see `damage`)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self._start()

    def _start(self) -> None:
        self.raw.seek(0)
        self.damage: Damage | None = None
        self._decompressor = _new_member()
        self._input = b""  # compressed bytes read but not yet decompressed
        self._input_offset = 0  # where _input starts in the compressed file
        self._pending = b""
        self._pending_at = 0
        self._member_started = False
        self._finished = False
        self._offset = 0  # decompressed bytes delivered

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # forward by reading; backward by decompressing again from the start

    def tell(self) -> int:
        return self._offset

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = offset if whence == io.SEEK_SET else self._offset + offset if whence == io.SEEK_CUR else -1
        if target < 0:
            raise io.UnsupportedOperation("a gzip stream seeks from its start or its position only")
        if target < self._offset:
            self._start()
        while self._offset < target and self.read(min(target - self._offset, READ_SIZE)):
            pass
        return self._offset

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._pending_at == len(self._pending) and not self._finished:
            self._fill()
        size = min(len(buffer), len(self._pending) - self._pending_at)
        buffer[:size] = self._pending[self._pending_at : self._pending_at + size]
        self._pending_at += size
        self._offset += size
        return size

    def _fill(self) -> None:
        if not self._input:
            self._input = self.raw.read(READ_SIZE)
            if not self._input:
                if self._member_started:
                    self._stop("truncated_gzip", "the file ends inside a gzip member", 0)
                self._finished = True
                return
        if self._decompressor.eof:
            padding = len(self._input) - len(self._input.lstrip(b"\x00"))
            if padding:  # zero bytes after a member are padding, as Python's gzip module reads them
                self._input, self._input_offset = self._input[padding:], self._input_offset + padding
                return
            self._decompressor = _new_member()  # the next member begins
        self._member_started = True
        before = self._decompressor.copy()
        data, self._pending_at = self._input, 0
        try:
            self._pending = self._decompressor.decompress(data, MAX_PIECE)
        except zlib.error as exc:
            self._pending, at = _salvage(before, data)
            self._stop("corrupt_gzip", f"corrupt gzip data: {exc}", at)
            self._finished = True
            return
        rest = self._decompressor.unconsumed_tail or self._decompressor.unused_data
        self._input_offset += len(data) - len(rest)
        self._input = rest
        if self._decompressor.eof:
            self._member_started = False  # ended exactly at a member boundary so far

    def _stop(self, reason: str, detail: str, at: int) -> None:
        self.damage = Damage(reason, self._input_offset + at, detail)


def _new_member() -> zlib._Decompress:
    return zlib.decompressobj(zlib.MAX_WBITS | 16)


def _salvage(decompressor: zlib._Decompress, data: bytes) -> tuple[bytes, int]:
    """What `data` decompresses to before the byte where zlib fails, and that byte's position in it:
    the piece a failing `decompress` call would otherwise lose."""
    out = []
    for at in range(len(data)):
        try:
            out.append(decompressor.decompress(data[at : at + 1]))
        except zlib.error:
            return b"".join(out), at
    return b"".join(out), len(data)


class InputFile:
    """An input opened for streaming: `stream` (decompressed), `position()` in raw bytes read for
    progress, and `damage()` after reading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.gzip: GzipMembers | None = None
        if self.raw.read(2) == GZIP_MAGIC:
            self.gzip = GzipMembers(self.raw)
        self.raw.seek(0)
        self.stream: BinaryIO = io.BufferedReader(self.gzip, READ_SIZE) if self.gzip else self.raw

    def position(self) -> int:
        return self.raw.tell()

    def damage(self) -> Damage | None:
        return self.gzip.damage if self.gzip else None

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
