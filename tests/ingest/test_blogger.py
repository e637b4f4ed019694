"""Blogger Atom export reader against the real export in ../shared/formats/other and our fixture."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.helpers import FIXTURES, assert_survives_damage, read, summary


def test_real_export(shared_formats: Path) -> None:
    """64 entries, one of them a comment (formats/other/SOURCES.md); the undeclared app: prefix needs
    recovery."""
    threads, report = read(shared_formats / "other" / "pelican_bloggerexport.xml")
    assert report.format == "blogger"
    assert summary(threads) == {"threads": 1, "comments": 1, "max_depth": 1, "flags": {}}
    assert report.warnings["malformed_xml_recovered"] == 1 and report.unaccounted == 0
    (thread,) = threads
    assert thread.url == "http://youngdoctornotes.blogspot.com/2010/11/the-steel-windpipe.html"
    assert thread.title and thread.article
    (comment,) = thread.comments
    assert comment.author and comment.parent_id is None
    assert "<br" not in comment.text and "\n" in comment.text


def test_fixture_replies_and_unknown_post() -> None:
    threads, report = read(FIXTURES / "blogger_small.xml")
    assert report.format == "blogger" and report.comments_read == 3
    assert report.warnings["comment_in_unknown_post"] == 1
    post, lost = threads
    assert (post.id, post.title, post.url, post.article) == (
        "500",
        "Flying in strong wind",
        "https://kites.example/2019/06/strong-wind.html",
        "Use a smaller kite.",
    )
    assert [(c.id, c.parent_id, c.depth, c.author) for c in post.comments] == [
        ("601", None, 1, "Breezy Bee"),
        ("602", "601", 2, "Kite Author"),
    ]
    assert post.comments[0].text == "Mine snapped twice!\nStronger line helped."
    assert post.comments[0].created == "2019-06-02T10:00:00.000-07:00"
    assert lost.id == "404" and lost.comments[0].flags == {"deleted"}


def test_damaged_samples_give_warnings_not_exceptions(shared_formats: Path, tmp_path: Path) -> None:
    assert_survives_damage(shared_formats / "other" / "pelican_bloggerexport.xml", "blogger", tmp_path)
    assert_survives_damage(FIXTURES / "blogger_small.xml", "blogger", tmp_path)
