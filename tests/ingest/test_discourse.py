from __future__ import annotations

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_topic_posts_thread_by_reply_number(read_all, fixtures_dir):
    [topic], report = read_all(fixtures_dir / "discourse_topic.json")
    assert report.format == "discourse"
    assert (topic.id, topic.title) == ("91", "Favourite bread recipes")
    assert [(c.id, c.parent_id, c.depth) for c in topic.comments] == [
        ("1", None, 1),
        ("7", "1", 2),
        ("2", None, 1),
        ("5", "2", 2),
        ("6", "4", 1),
    ]
    by_id = topic.by_id()
    assert by_id["1"].text == "Share your bread recipes." and by_id["1"].author == "lena"
    assert by_id["5"].text == "Three days?\nPatience!"
    assert by_id["7"].flags == {"deleted", "unapproved"}
    assert by_id["6"].flags == {"orphan"}  # post 4 is not in this chunk
    assert by_id["1"].created == "2022-02-02T15:00:00Z"


def test_latest_posts_split_into_topics(read_all, fixtures_dir):
    threads, _ = read_all(fixtures_dir / "discourse_latest.json")
    assert [(t.id, t.title, [c.id for c in t.comments]) for t in threads] == [
        ("8", "Rust or Go", ["3"]),
        ("3", "Hello", ["1"]),
    ]


# file -> (threads, comments, max depth), from shared/formats/discourse_json/SOURCES.md
SAMPLES = {
    "discourse_api_topic.json": (1, 4, 2),
    "discourse_api_topic_posts.json": (1, 1, 1),
    "discourse_api_posts_latest.json": (3, 4, 1),
    "discourse_api_replies.json": (1, 1, 1),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_samples_match_their_stated_counts(name, read_all, shared_formats):
    n_threads, comments, depth = SAMPLES[name]
    threads, report = read_all(shared_formats / "discourse_json" / name)
    assert (len(threads), report.comments_read, report.comments_output) == (n_threads, comments, comments)
    assert max(c.depth for t in threads for c in t.comments) == depth
    assert not any("<p>" in c.text or "<img" in c.text for t in threads for c in t.comments)


def test_real_topic_numbering_gap_and_reply_to_first_post(read_all, shared_formats):
    [topic], _ = read_all(shared_formats / "discourse_json" / "discourse_api_topic.json")
    assert [c.id for c in topic.comments] == ["1", "14", "2", "3"]
    assert topic.by_id()["14"].parent_id == "1" and topic.title.startswith("THIS SITE IS A SANDBOX")
    assert topic.by_id()["3"].text == ""  # an image-only post has no text


def test_sniff_picks_discourse_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "discourse_json").glob("*.json")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "discourse", path.name
