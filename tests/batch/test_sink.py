import json

import pyarrow.parquet as pq
import pytest

from threadguard.batch.sink import encode_part, merge_parts, output_format

LINE = {
    "id": "x\ud800",  # a lone surrogate, possible in a JSON id
    "attributes": {
        "TOXICITY": 0.5,
        "SEVERE_TOXICITY": 0.1,
        "IDENTITY_ATTACK": 0.0,
        "INSULT": 0.2,
        "PROFANITY": 0.0,
        "THREAT": 0.0,
        "SEXUALLY_EXPLICIT": 0.0,
    },
    "targets": {
        "religion": 0.0,
        "race_ethnicity": 0.0,
        "nationality_origin": 0.0,
        "gender": 0.0,
        "sexual_orientation": 0.0,
        "gender_identity": 0.0,
        "disability": 0.0,
    },
    "spans": {"INSULT": [{"begin": 0, "end": 3, "score": 0.2}]},
    "flagged": True,
    "language": "en",
    "model": "tg-test",
    "source_file": "in.jsonl",
    "source_record": 7,
    "source_item": None,
    "thread_id": None,
    "parent_id": None,
    "author": "ann",
}


def test_output_format_comes_from_the_extension(tmp_path):
    assert output_format(tmp_path / "a.parquet") == "parquet"
    assert output_format(tmp_path / "a.jsonl") == "jsonl"
    with pytest.raises(ValueError, match="--out"):
        output_format(tmp_path / "a.csv")


def test_jsonl_parts_merge_to_their_concatenation(tmp_path):
    parts = []
    for i in range(3):
        parts.append(tmp_path / f"{i}.jsonl")
        parts[-1].write_bytes(encode_part([{**LINE, "source_record": i}], "jsonl", spans=True))
    merge_parts(parts, tmp_path / "out.jsonl", "jsonl", spans=True)
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [line["source_record"] for line in lines] == [0, 1, 2] and lines[0]["id"] == LINE["id"]


def test_parquet_parts_merge_deterministically(tmp_path):
    parts = []
    for i in range(3):
        parts.append(tmp_path / f"{i}.parquet")
        rows = [{**LINE, "source_record": i}] if i != 1 else []
        parts[-1].write_bytes(encode_part(rows, "parquet", spans=True))
    merge_parts(parts, tmp_path / "a.parquet", "parquet", spans=True)
    merge_parts(parts, tmp_path / "b.parquet", "parquet", spans=True)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    rows = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert [r["source_record"] for r in rows] == [0, 2]
    assert rows[0]["spans"] == [("INSULT", [{"begin": 0, "end": 3, "score": 0.2}])] and rows[0]["id"] == "x?"
