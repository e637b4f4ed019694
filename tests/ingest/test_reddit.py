from __future__ import annotations

from collections import Counter

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def _flags(threads):
    return Counter(flag for thread in threads for comment in thread.comments for flag in comment.flags)


def test_thread_page_keeps_tree_deleted_comments_and_counts_unfetched(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "reddit_thread.json")
    assert report.format == "reddit"
    [thread] = threads
    assert (thread.id, thread.title) == ("abc12", "Tide pools at dawn")
    assert thread.url == "https://www.reddit.com/r/tidepools/comments/abc12/tide_pools_at_dawn/"
    assert thread.article == "Went looking for crabs & anemones."
    shape = [(c.id, c.parent_id, c.depth) for c in thread.comments]
    assert shape == [
        ("c1", None, 1),
        ("c2", "c1", 2),
        ("c3", "c2", 3),
        ("c4", None, 1),
        ("c5", None, 1),
        ("c6", "c5", 2),
    ]
    by_id = thread.by_id()
    assert by_id["c2"].flags == {"deleted", "author_missing"} and by_id["c2"].text == ""
    assert by_id["c2"].author is None
    assert by_id["c4"].flags == {"deleted"} and by_id["c4"].author == "moss_moss"
    assert by_id["c3"].text == "Replying to a ghost > still fun"
    assert by_id["c5"].text.endswith("à la mer \U0001f980")
    assert by_id["c1"].created == "2020-09-13T12:26:40Z"
    assert by_id["c4"].created == "2020-09-13T12:31:40Z"  # created_utc given as a string
    assert thread.warnings["more_not_fetched"] == 5
    assert thread.warnings["more_continue_thread"] == 1
    assert report.comments_read == report.comments_output == 6


def test_morechildren_response_resolves_parents_and_flags_the_missing_one(read_all, fixtures_dir):
    [thread], _ = read_all(fixtures_dir / "reddit_morechildren.json")
    assert thread.id == "abc12"
    assert [(c.id, c.depth) for c in thread.comments] == [("m1", 1), ("m2", 2), ("m3", 3)]
    assert thread.comments[0].flags == {"orphan"} and thread.comments[0].parent_id == "gone"


def test_user_listing_gives_one_thread_per_submission(read_all, fixtures_dir):
    threads, _ = read_all(fixtures_dir / "reddit_user_listing.json")
    assert [(t.id, t.title, [c.id for c in t.comments]) for t in threads] == [
        ("aaa", "First post title", ["u1", "u3"]),
        ("bbb", "Second post title", ["u2"]),
    ]
    assert threads[1].url == "https://www.reddit.com/r/x/comments/bbb/second/"


def test_cut_document_keeps_the_comments_before_the_cut(read_all, fixtures_dir, tmp_path):
    data = (fixtures_dir / "reddit_thread.json").read_bytes()
    cut = data.index(b"Crabs are tiny tanks")
    path = tmp_path / "cut.json"
    path.write_bytes(data[:cut])
    [thread], report = read_all(path, "reddit")
    assert report.warnings["truncated_input"] == 1
    assert [c.id for c in thread.comments] == ["c1", "c2", "c3", "c4"]
    assert thread.warnings["more_not_fetched"] == 5


# file -> (comments, max depth, hidden comments, continue-thread stubs, deleted bodies, deleted authors),
# as stated in shared/formats/reddit_json/SOURCES.md
SAMPLES = {
    "praw_thread_3hahrw_comments.json": (476, 10, 61, 6, 6, 16),
    "praw_thread_n49rw_comments.json": (485, 10, 1060, 1, 10, 60),
    "praw_permalink_6wmniq_dma3mi5_context100.json": (200, 7, 6290, 0, 0, 0),
    "praw_thread_4b1tfm_deleted.json": (4, 2, 0, 0, 1, 1),
    "goreddit_post_thread.json": (2, 2, 0, 0, 0, 0),
    "goreddit_user_comments_listing.json": (1, 1, 0, 0, 0, 0),
    "goreddit_morechildren.json": (3, 2, 0, 0, 0, 0),
    "praw_thread_3hahrw_morechildren.json": (11, 6, 0, 0, 0, 0),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_samples_match_their_stated_counts(name, read_all, shared_formats):
    comments, depth, hidden, continued, deleted, no_author = SAMPLES[name]
    threads, report = read_all(shared_formats / "reddit_json" / name)
    assert report.format == "reddit"
    assert report.comments_read == report.comments_output == comments
    assert max(c.depth for t in threads for c in t.comments) == depth
    assert report.warnings["more_not_fetched"] == hidden
    assert report.warnings["more_continue_thread"] == continued
    flags = _flags(threads)
    assert (flags["deleted"], flags["author_missing"]) == (deleted, no_author)


def test_thread_sample_has_submission_metadata(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "reddit_json" / "praw_thread_3hahrw_comments.json")
    assert thread.id == "3hahrw" and thread.title and thread.url.startswith("https://www.reddit.com/r/")
    top = [c for c in thread.comments if c.depth == 1]
    assert top and all(c.parent_id is None for c in top)
    index = thread.by_id()
    assert all(index[c.parent_id].depth == c.depth - 1 for c in thread.comments if c.depth > 1)


def test_continue_thread_page_roots_at_a_missing_parent(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "reddit_json" / "praw_thread_3hahrw_continue_cu5uyz1.json")
    root, reply = thread.comments
    assert (root.id, root.parent_id, root.flags) == ("cu5uyz1", "cu5unth", {"orphan"})
    assert (reply.parent_id, reply.depth) == ("cu5uyz1", 2)


def test_sniff_picks_reddit_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "reddit_json").glob("*.json")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "reddit", path.name
