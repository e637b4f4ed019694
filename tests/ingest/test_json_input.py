from __future__ import annotations

import io

import pytest

from threadguard.ingest import IngestReport
from threadguard.ingest.json_input import (
    as_id,
    as_list,
    comment_records,
    first_line_record,
    html_comment,
    parse_document,
    read_object,
    read_records,
    utc_iso,
)
from threadguard.thread.model import Comment


@pytest.mark.parametrize(
    ("text", "recovered"),
    [
        ('[{"a": 1, "b": "unfinished', [{"a": 1}]),
        ('{"a": [1, 2', {"a": [1]}),  # 2 may be the start of 25
        ('{"a": {"b": 1}, "c": tr', {"a": {"b": 1}}),
        ('{"k": "quote \\" and bracket ] inside', {}),
        ('["x,]", 1, "y\\\\", 2', ["x,]", 1, "y\\"]),
        ("[", []),
    ],
)
def test_cut_document_recovers_its_complete_part(text, recovered):
    report = IngestReport()
    assert parse_document(text.encode(), report) == recovered
    assert report.warnings == {"truncated_input": 1}


def test_damage_in_the_middle_keeps_the_part_before_it():
    report = IngestReport()
    assert parse_document(b'[{"a": 1}, {"b": 2}, ]garbage', report) == [{"a": 1}, {"b": 2}]
    assert report.warnings == {"unreadable_record": 1}


def test_empty_document_is_counted():
    report = IngestReport()
    assert parse_document(b" \n", report) is None and report.warnings == {"empty_input": 1}


def test_big_integers_stay_exact():
    report = IngestReport()
    document = parse_document(b'{"id": 6275919741647323905, "ids": [18446744073709551615]}', report)
    assert as_id(document["id"]) == "6275919741647323905"
    assert as_id(document["ids"][0]) == "18446744073709551615"
    assert as_id(True) is None and as_id(1.5) is None and as_id("") is None


def test_json_lines_count_bad_and_cut_lines_and_read_the_rest():
    data = b'{"a": 1}\nnot json\n\n{"b": 2}\n{"b": 2} {"c": 3}\n[1]\n{"d": '
    report = IngestReport()
    assert list(read_records(io.BytesIO(data), report)) == [{"a": 1}, {"b": 2}]
    # one object per line (JSON Lines): two values on a line is not JSON; the line contract's names
    assert report.warnings == {"invalid_json": 2, "not_an_object": 1, "truncated_input": 1}


def test_read_records_tells_lines_from_one_document():
    report = IngestReport()
    assert list(read_records(io.BytesIO(b'{"a": 1}\n{"b": 2}\n'), report)) == [{"a": 1}, {"b": 2}]
    assert list(read_records(io.BytesIO(b'[\n {"a": 1},\n {"b": 2}\n]'), report)) == [{"a": 1}, {"b": 2}]
    assert list(read_records(io.BytesIO(b'{\n "a": 1\n}\n'), report)) == [{"a": 1}]
    assert not report.warnings


def test_first_line_record_ignores_line_separators_inside_strings():
    assert first_line_record('{"text": "a\u2028b"}\n{"x": 1}'.encode()) == {"text": "a\u2028b"}
    assert first_line_record(b'{"text": "cut') is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (1600000000, "2020-09-13T12:26:40Z"),
        (1600000000.5, "2020-09-13T12:26:40.500000Z"),
        ("1600000000", "2020-09-13T12:26:40Z"),
        ("2016-04-21T16:15:02+08:00", "2016-04-21T08:15:02Z"),
        ("2021-03-12T11:21:56Z", "2021-03-12T11:21:56Z"),
        ("2005-02-24 04:03:37", "2005-02-24 04:03:37"),  # no zone: as the source gave it
        ("last Tuesday", "last Tuesday"),
        (None, None),
        (True, None),
        (10**30, None),
        ("0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+01:00"),  # no UTC form: as given
    ],
)
def test_utc_iso(value, iso):
    assert utc_iso(value) == iso


@pytest.mark.parametrize(
    ("data", "document", "warnings"),
    [
        (b'{"a": [1]}', {"a": [1]}, {}),
        (b"[1, 2]", None, {"unreadable_record": 1}),
        (b" ", None, {"empty_input": 1}),
    ],
)
def test_read_object_counts_a_document_that_is_not_an_object(data, document, warnings):
    report = IngestReport()
    assert read_object(io.BytesIO(data), report) == document
    assert report.warnings == warnings


def test_comment_records_count_what_is_read_and_what_is_not():
    def read(data):
        return Comment(id=data["id"], parent_id=None, text="") if "id" in data else None

    report = IngestReport()
    records = [{"id": "1"}, "not an object", {"no": "id"}, {"id": "2"}]
    pairs = list(comment_records(records, read, report))
    assert [(record, comment.id) for record, comment in pairs] == [({"id": "1"}, "1"), ({"id": "2"}, "2")]
    assert report.comments_read == 2 and report.warnings == {"unreadable_record": 2}


def test_html_comment_reads_raw_field_values():
    comment = html_comment("7", "3", "<p>Hi &amp; bye</p>", None, 0, {"deleted"})
    assert (comment.id, comment.parent_id, comment.text, comment.author, comment.created) == (
        "7",
        "3",
        "Hi & bye",
        None,
        "1970-01-01T00:00:00Z",
    )
    assert comment.flags == {"deleted", "author_missing"}
    named = html_comment("8", None, ["not", "text"], "ann", None)
    assert (named.text, named.created, named.flags) == ("", None, set())


def test_as_list():
    assert as_list([1]) == [1]
    assert as_list({"a": 1}) == [] and as_list(None) == []
