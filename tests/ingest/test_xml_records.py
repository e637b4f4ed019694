"""The streaming XML reader the WXR, Disqus and Blogger parsers share, on small inline documents: which
records it gives, and how it counts leading junk, cut-off files, recovery and unreadable input."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from threadguard.ingest import IngestReport
from threadguard.ingest.xml_records import child_text, local_name, xml_records


def _records(data: bytes, wanted: dict[str, int]) -> tuple[list[tuple[str, str | None]], dict[str, int]]:
    """(local name, text) of every record given, and the warnings counted."""
    report = IngestReport()
    records = [(local_name(e), e.text) for e in xml_records(io.BytesIO(data), report, wanted)]
    return records, dict(report.warnings)


@pytest.mark.parametrize(
    ("markup", "name"),
    [("<item/>", "item"), ('<x:item xmlns:x="urn:x"/>', "item"), ('<a xmlns="urn:a"><link/></a>', "a")],
)
def test_local_name_drops_namespace_and_prefix(markup, name):
    assert local_name(etree.fromstring(markup)) == name


def test_local_name_of_a_prefix_a_recovering_parser_left_in_the_tag():
    parser = etree.XMLParser(recover=True)
    (link,) = etree.fromstring(b"<item><atom:link/></item>", parser)
    assert link.tag == "atom:link" and local_name(link) == "link"


def test_child_text_is_the_first_match_stripped_or_none():
    item = etree.fromstring(
        '<item xmlns:wp="urn:wp"><wp:title>  First </wp:title><title>Second</title><empty> </empty></item>'
    )
    assert child_text(item, "title") == "First"
    assert child_text(item, "empty") is None
    assert child_text(item, "absent") is None


def test_only_wanted_names_at_their_depth_in_end_tag_order():
    data = b"<r><i><c>1</c><x><c>too deep</c></x><title>T</title></i><c>too high</c><i/></r>"
    report = IngestReport()
    seen = []
    for record in xml_records(io.BytesIO(data), report, {"i": 1, "c": 2}):
        seen.append((local_name(record), record.text, child_text(record, "title")))
    assert seen == [("c", "1", None), ("i", None, "T"), ("i", None, None)]
    assert not report.warnings


def test_leading_garbage_is_skipped_and_counted_but_a_bom_is_not_garbage():
    assert _records(b"\x00 junk\n<r><c>1</c></r>", {"c": 1}) == ([("c", "1")], {"leading_garbage": 1})
    assert _records(b"\xef\xbb\xbf<r><c>1</c></r>", {"c": 1}) == ([("c", "1")], {})


def test_cut_off_file_gives_the_records_before_the_cut():
    assert _records(b"<r><c>1</c><c>2</c><c>3", {"c": 1}) == (
        [("c", "1"), ("c", "2")],
        {"truncated_input": 1},
    )


def test_damage_inside_is_recovered_and_no_record_is_given_twice():
    """The strict parse gives the records before the HTML entity; recovery continues after them."""
    records, warnings = _records(b"<r><c>1</c><c>2</c><c>3&nbsp;x</c><c>4</c></r>", {"c": 1})
    assert records == [("c", "1"), ("c", "2"), ("c", "3\xa0x"), ("c", "4")]
    assert warnings == {"malformed_xml_recovered": 1}


def test_recovery_decodes_the_declared_encoding_and_repairs_what_xml_forbids():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><r><c a=1>caf\xe9 &eacute;\x01 &amp; & co</c></r>'
    records, warnings = _records(data.encode("latin-1"), {"c": 1})
    assert records == [("c", "café é & & co")]
    assert warnings["malformed_xml_recovered"] == 1


@pytest.mark.parametrize("data", [b"", b"not xml at all"])
def test_unreadable_input_is_counted(data):
    assert _records(data, {"c": 1}) == ([], {"malformed_xml_recovered": 1, "unreadable_input": 1})


def test_root_tag_skips_stray_bytes_declaration_and_comments_but_not_prose() -> None:
    from threadguard.ingest.xml_records import root_tag

    assert root_tag(b'`<?xml version="1.0"?>\n<!-- export -->\n<disqus xmlns="x">') == "disqus"
    assert root_tag(b"\xef\xbb\xbf<rss version='2.0'>") == "rss"
    assert root_tag(b"# Disqus exports\n\nThey start with `<disqus>` and list threads.") is None
