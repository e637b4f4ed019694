from __future__ import annotations

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_articles_with_nested_comments_and_user_lines_counted(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "livefyre_comments.ndjson")
    assert report.format == "livefyre"
    harbour, empty = threads
    assert (harbour.id, harbour.title, harbour.url) == (
        "asset-one",
        "Harbour news",
        "http://paper.example/one",
    )
    assert [(c.id, c.parent_id, c.depth, c.author) for c in harbour.comments] == [
        ("11", None, 1, "harbour_hal"),
        ("12", "11", 2, "u8"),
    ]
    assert [c.text for c in harbour.comments] == ["Nice boats.", "Agreed & seconded."]
    assert empty.comments == []
    assert report.warnings["livefyre_non_comment_record"] == 1


# file -> (threads, comments, non-comment lines), from shared/formats/livefyre/SOURCES.md
SAMPLES = {
    "coral_talk-importer_livefyre_comments.ndjson": (1, 1, 0),
    "coral_talk-importer_livefyre_assets.ndjson": (0, 0, 1),
    "coral_talk-importer_livefyre_users.ndjson": (0, 0, 2),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_samples(name, read_all, shared_formats):
    n_threads, comments, others = SAMPLES[name]
    threads, report = read_all(shared_formats / "livefyre" / name)
    assert report.format == "livefyre"
    assert (len(threads), report.comments_read, report.comments_output) == (n_threads, comments, comments)
    assert report.warnings["livefyre_non_comment_record"] == others


def test_real_comment(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "livefyre" / "coral_talk-importer_livefyre_comments.ndjson")
    [comment] = thread.comments
    assert (thread.title, comment.text, comment.author) == ("Cool Article", "Very cool article!", "foobar")


def test_sniff_picks_livefyre_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "livefyre").glob("*.ndjson")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "livefyre", path.name
