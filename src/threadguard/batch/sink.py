"""Output rows as part files (one per chunk) and the deterministic merge of parts into the output.

JSONL lines keep a fixed key order (the line format's, then the source fields)
and ASCII escapes, so equal lines are equal bytes. Parquet columns follow `parquet_schema`; ids are
strings (exact for 64-bit ids), the score structs have one field per attribute / target group.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

OUTPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
STRING_FIELDS = ("id", "model", "language", "source_file", "thread_id", "parent_id", "author")


def output_format(path: Path) -> str:
    """The output format named by the output's extension."""
    try:
        return OUTPUT_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"--out must end in one of {', '.join(OUTPUT_FORMATS)}, not {path.name!r}") from None


def encode_part(lines: Sequence[dict[str, Any]], fmt: str, spans: bool) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(line, ensure_ascii=True) + "\n" for line in lines).encode("ascii")
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(spans)
    records = [_parquet_record(line) for line in lines]
    table = pa.Table.from_pylist(records, schema=schema)
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    return buffer.getvalue().to_pybytes()


def parquet_schema(spans: bool) -> Any:
    import pyarrow as pa

    from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS

    span = pa.struct([("begin", pa.int32()), ("end", pa.int32()), ("score", pa.float64())])
    fields = [
        ("id", pa.string()),
        ("attributes", pa.struct([(name, pa.float64()) for name in ATTRIBUTES])),
        ("targets", pa.struct([(name, pa.float64()) for name in TARGET_GROUPS])),
        *([("spans", pa.map_(pa.string(), pa.list_(span)))] if spans else []),
        ("flagged", pa.bool_()),
        *([("language", pa.string())] if spans else []),
        ("model", pa.string()),
        *([("context_effect", pa.map_(pa.string(), pa.float64()))] if spans else []),
        ("warnings", pa.list_(pa.string())),
        ("source_file", pa.string()),
        ("source_record", pa.int64()),
        ("source_item", pa.int64()),
        ("thread_id", pa.string()),
        ("parent_id", pa.string()),
        ("author", pa.string()),
    ]
    return pa.schema(fields)


def _parquet_record(line: dict[str, Any]) -> dict[str, Any]:
    """Strings as valid UTF-8 (a JSON id may hold a lone surrogate), spans and context effects as map
    entries."""
    record = dict(line)
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is not None:
            record[name] = str(value).encode("utf-8", "replace").decode("utf-8")
    for name in ("spans", "context_effect"):
        if name in record:
            record[name] = list(record[name].items())
    return record


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name, then rename: a crash leaves the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def merge_parts(parts: Sequence[Path], out: Path, fmt: str, spans: bool) -> None:
    """Concatenate the parts, in the order given, into `out` (atomically)."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    if fmt == "jsonl":
        with open(tmp, "wb") as target:
            for part in parts:
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, target)
    else:
        import pyarrow.parquet as pq

        with pq.ParquetWriter(tmp, parquet_schema(spans)) as writer:
            for part in parts:
                table = pq.read_table(part)
                if table.num_rows:
                    writer.write_table(table)
    os.replace(tmp, out)
