"""Rows grouped into numbered chunks: the unit that is scored, committed and resumed.

Chunk k of file f holds the next `size` rows and problems of that file after chunk k-1 (fewer when their
text passes MAX_CHUNK_CHARS: WET pages are long), so chunk boundaries depend only on the input and the
chunk size, never on the engine or the number of workers.
Every file has at least one chunk; its last one is marked `last` and carries the file's `notes`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threadguard.batch.records import Problem, Row
from threadguard.batch.sources import ReadOptions, Source

MAX_CHUNK_CHARS = 8_000_000  # bounds a chunk's memory (and its workers') whatever the row length


@dataclass
class Chunk:
    file_index: int
    index: int
    file: str  # the input path as given: the `source_file` of its rows
    format: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)
    last: bool = False
    bytes_read: tuple[int, int] = (0, 0)  # raw input bytes this chunk covers, for the progress bar

    @property
    def key(self) -> str:
        return chunk_key(self.file_index, self.index)


def chunk_key(file_index: int, index: int) -> str:
    return f"{file_index:05d}-{index:08d}"


def read_chunks(file_index: int, path: Path, options: ReadOptions, size: int) -> Iterator[Chunk]:
    """The chunks of one input file, in order."""
    source = Source(path, options)
    chunk = Chunk(file_index, 0, str(path), source.format)
    chars = 0
    for item in source.items():
        if isinstance(item, Row):
            chunk.rows.append(item)
            chars += len(item.text)
        else:
            chunk.problems.append(item)
        if len(chunk.rows) + len(chunk.problems) >= size or chars >= MAX_CHUNK_CHARS:
            chars = 0
            end = source.position()
            chunk.bytes_read = (chunk.bytes_read[0], end)
            yield chunk
            chunk = Chunk(file_index, chunk.index + 1, str(path), source.format, bytes_read=(end, end))
    chunk.bytes_read = (chunk.bytes_read[0], source.size)
    chunk.notes = dict(sorted(source.notes.items()))
    chunk.last = True
    yield chunk
