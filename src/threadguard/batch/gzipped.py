"""Open an input file, gzip or not, so that a cut-off or corrupt gzip stream ends the data instead of
raising: everything that decompresses is delivered, and the damage is reported afterwards.

Python's gzip module raises EOFError on a truncated file, and FastWARC silently stops; neither says which
records were intact. Common Crawl files are many gzip members (one per record), so members are followed.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
READ_SIZE = 1 << 16


class GzipMembers(io.RawIOBase):
    """The decompressed bytes of all gzip members of `raw`, stopping cleanly at damage (see `damage`)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.damage: str | None = None  # "truncated_gzip" or "corrupt_gzip" once detected
        self._decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._pending = b""
        self._member_started = False
        self._finished = False
        self._offset = 0  # decompressed bytes delivered

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # forward only: FastWARC seeks past the records it skips

    def tell(self) -> int:
        return self._offset

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = offset if whence == io.SEEK_SET else self._offset + offset if whence == io.SEEK_CUR else -1
        if target < self._offset:
            raise io.UnsupportedOperation("a gzip stream can only seek forward")
        while self._offset < target and self.read(min(target - self._offset, READ_SIZE)):
            pass
        return self._offset

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._finished:
            self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self._offset += size
        return size

    def _fill(self) -> None:
        data = self._decompressor.unused_data or self.raw.read(READ_SIZE)
        if self._decompressor.unused_data:
            self._decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)  # the next member begins
        if not data:
            if self._member_started and not self._decompressor.eof:
                self.damage = "truncated_gzip"
            self._finished = True
            return
        self._member_started = True
        try:
            self._pending = self._decompressor.decompress(data)
        except zlib.error as exc:
            self.damage = f"corrupt_gzip: {exc}"
            self._finished = True
            return
        if self._decompressor.eof and not self._decompressor.unused_data:
            self._member_started = False  # ended exactly at a member boundary so far


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

    def damage(self) -> str | None:
        return self.gzip.damage if self.gzip else None

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
