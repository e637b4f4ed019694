"""Format sniffing: every sniffer answers for any bytes, and unknown input is a clear error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadguard.ingest import read_threads
from threadguard.ingest.registry import FORMATS, UnknownFormatError, get_format, sniff_format

NAMES = ("export.xml", "comments.jsonl", "comments.csv", "page.html", "dump.txt", "data.json", "x")
TRICKY_BYTES = [b"\r", b"\n", b"\x00", b"\xff", b"<", b"{", b"[", b'"', b",", b"\xe2\x80\xa2 ", b"  "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.binary(max_size=40), st.sampled_from(TRICKY_BYTES)), max_size=40),
    st.sampled_from(NAMES),
)
def test_every_sniffer_answers_true_or_false_for_any_bytes(pieces, filename) -> None:
    head = b"".join(pieces)
    for input_format in FORMATS.values():
        assert input_format.sniff(head, filename) in (True, False)


def test_a_csv_header_ended_by_a_lone_carriage_return_is_sniffed() -> None:
    assert sniff_format(b"id,author,text\rc1,ann,hello\r", "c.csv").name == "csv"
    with pytest.raises(UnknownFormatError):
        sniff_format(b"\x8a\rgarbage\x00\n", "junk.bin")


def test_a_jsonl_file_whose_first_line_outgrows_the_sniffed_head_is_still_jsonl(tmp_path) -> None:
    path = tmp_path / "long.jsonl"
    long_text = "word " * 40_000  # 200 kB, past the 64 KiB head
    path.write_text(json.dumps({"id": "1", "text": long_text}) + "\n" + json.dumps({"id": "2", "text": "hi"}))
    (thread,) = read_threads(path)
    assert [c.id for c in thread.comments] == ["1", "2"] and thread.comments[0].text == long_text


def test_unknown_format_names_are_a_clear_error() -> None:
    with pytest.raises(UnknownFormatError, match="known formats: disqus"):
        get_format("myspace")
