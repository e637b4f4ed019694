"""WXR reader against the real WordPress exports in ../shared/formats and small fixtures of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.helpers import FIXTURES, Counts, assert_survives_damage, read, read_with_counts

# Counts from formats/wordpress_wxr/SOURCES.md (threads = items with comments).
REAL_EXPORTS: dict[str, Counts] = {
    "wp_themeunittestdata.wordpress.xml": (7, 33, 10, {"unapproved": 3, "pingback": 2, "trackback": 2}),
    "timothyfitz_blog_wordpress.xml": (12, 381, 2, {"pingback": 174, "trackback": 1, "unapproved": 24}),
    "davidsouther_blog_wordpress.xml": (10, 26, 5, {}),
    "charleso_blog_wordpress_wxr1.0.xml": (14, 33, 1, {}),
    "remark42_realmenweardress_wxr.xml": (1, 4, 2, {"unapproved": 1, "pingback": 1}),
    "isso_wordpress.xml": (2, 8, 3, {}),
    "pelican_wordpressexport.xml": (1, 4, 2, {"pingback": 1, "deleted": 1, "orphan": 1}),
    "wpimporter_valid-wxr-1.0.xml": (1, 1, 1, {}),
    "wpimporter_valid-wxr-1.1.xml": (1, 1, 1, {}),
    "wpimporter_small-export.xml": (1, 1, 1, {}),
    "wpimporter_slashes.xml": (1, 1, 1, {}),
    "wpimporter_test-serialized-comment-meta.xml": (1, 1, 1, {}),
    "wpimporter_wxr-comprehensive.xml": (1, 1, 1, {}),
    "wpimporter_wxr-with-sub-data.xml": (1, 1, 1, {}),
}


@pytest.mark.parametrize("name", sorted(REAL_EXPORTS))
def test_real_exports(shared_formats: Path, name: str) -> None:
    threads = read_with_counts(shared_formats / "wordpress_wxr" / name, "wxr", REAL_EXPORTS[name])
    assert all(t.title and t.id for t in threads)


def test_wordpress_com_exports_need_recovery(shared_formats: Path) -> None:
    """The undeclared atom: prefix makes these not well-formed; recovery must still give every comment."""
    for name in ("timothyfitz_blog_wordpress.xml", "charleso_blog_wordpress_wxr1.0.xml"):
        _, report = read(shared_formats / "wordpress_wxr" / name)
        assert report.warnings["malformed_xml_recovered"] == 1


def test_entities_are_decoded_and_parents_kept(shared_formats: Path) -> None:
    (thread,) = read(shared_formats / "wordpress_wxr" / "remark42_realmenweardress_wxr.xml")[0]
    pingback = next(c for c in thread.comments if "pingback" in c.flags)
    assert "&laquo;" not in (pingback.author or "") and "«" in (pingback.author or "")
    assert "&#8217;" not in pingback.text
    reply = next(c for c in thread.comments if c.parent_id == pingback.id)
    assert reply.depth == 2


def test_ids_reused_across_items_stay_in_their_threads(shared_formats: Path) -> None:
    threads, _ = read(shared_formats / "wordpress_wxr" / "isso_wordpress.xml")
    assert sum("11" in t.by_id() for t in threads) == 2
    assert not any("duplicate_id" in c.flags for t in threads for c in t.comments)


def test_missing_parent_becomes_orphan(shared_formats: Path) -> None:
    (thread,) = read(shared_formats / "wordpress_wxr" / "pelican_wordpressexport.xml")[0]
    (orphan,) = [c for c in thread.comments if "orphan" in c.flags]
    assert orphan.parent_id is not None and orphan.parent_id not in thread.by_id()
    assert thread.warnings["orphan"] == 1


def test_disqus_custom_import_wxr(shared_formats: Path) -> None:
    (thread,), report = read(shared_formats / "disqus" / "churchs19_disqus_custom_import_wxr.xml")
    assert report.format == "wxr"
    assert thread.id == "disqus_identifier" and thread.url == "http://foo.com/example"
    assert [(c.id, c.parent_id, c.author, c.text, c.created) for c in thread.comments] == [
        ("65", None, "Foo Bar", "Hello world", "2010-09-20T13:19:10Z")
    ]


def test_iso_8859_1_export_decodes() -> None:
    (thread,), report = read(FIXTURES / "wxr_latin1.xml")
    assert thread.title == "Crème brûlée à la maison"
    assert thread.article == "Préparez la crème la veille."
    first, reply = thread.comments
    assert (first.author, first.text, first.created) == (
        "Zoë Lefèvre",
        "Délicieux, merci ! Très réussi.",
        "2021-02-03T09:20:30Z",
    )
    assert (reply.author, reply.parent_id, reply.depth, reply.flags, reply.created) == (
        "Anaïs",
        "70",
        2,
        {"unapproved"},
        None,
    )
    assert not report.warnings


def test_iso_8859_1_export_that_needs_recovery_still_decodes(tmp_path: Path) -> None:
    data = (FIXTURES / "wxr_latin1.xml").read_bytes().replace(b"<item>", b"<item><atom:link href='x'/>", 1)
    broken = tmp_path / "latin1-broken.xml"
    broken.write_bytes(data)
    (thread,), report = read(broken)
    assert report.warnings["malformed_xml_recovered"] == 1
    assert [c.author for c in thread.comments] == ["Zoë Lefèvre", "Anaïs"]


def test_malformed_export_is_recovered() -> None:
    """Stray byte before <?xml, undeclared atom: prefix, HTML entities, a control character."""
    (thread,), report = read(FIXTURES / "wxr_malformed.xml")
    assert report.warnings["leading_garbage"] == 1
    assert report.warnings["malformed_xml_recovered"] == 1
    by_id = thread.by_id()
    assert by_id["30"].text == "Patch kits — always carry one & a pump."
    assert by_id["31"].flags == {"spam", "pingback"} and by_id["31"].author == "Spoke & Co"
    assert by_id["32"].flags == {"deleted", "trackback"} and by_id["32"].depth == 2
    assert thread.title == "Fixing a flat & more"


def test_truncated_export_keeps_complete_comments(tmp_path: Path) -> None:
    data = (FIXTURES / "wxr_latin1.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"<wp:comment_id>71")])
    (thread,), report = read(cut)
    assert report.warnings["truncated_input"] == 1
    assert [c.id for c in thread.comments] == ["70"]
    assert thread.title == "Crème brûlée à la maison"


def test_damaged_samples_give_warnings_not_exceptions(shared_formats: Path, tmp_path: Path) -> None:
    for path in sorted((shared_formats / "wordpress_wxr").glob("*.xml")):
        assert_survives_damage(path, "wxr", tmp_path)
    assert_survives_damage(FIXTURES / "wxr_malformed.xml", "wxr", tmp_path)
