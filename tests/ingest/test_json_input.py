from __future__ import annotations

import io

import pytest

from threadguard.ingest import IngestReport
from threadguard.ingest.json_input import (
    as_id,
    first_line_record,
    iter_lines,
    parse_document,
    read_records,
    utc_iso,
)


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
    data = b'{"a": 1}\nnot json\n\n{"b": 2} {"c": 3}\n{"d": '
    report = IngestReport()
    assert list(iter_lines(io.BytesIO(data), report)) == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert report.warnings == {"unreadable_record": 1, "truncated_input": 1}


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
    ],
)
def test_utc_iso(value, iso):
    assert utc_iso(value) == iso
