from __future__ import annotations

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_ancestor_lists_thread_and_big_ids_stay_exact(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "duoshuo.json")
    assert report.format == "duoshuo"
    lanterns, empty, unlisted = threads
    assert (lanterns.id, lanterns.title) == ("9007199254740993001", "灯笼 Lanterns")
    assert lanterns.url == "http://lantern.example/posts/lantern/"
    # ids above 2^53 as strings and as integers, in post_id and in parents: digit for digit
    assert [(c.id, c.parent_id, c.depth) for c in lanterns.comments] == [
        ("9223372036854775001", None, 1),
        ("9223372036854775003", "9223372036854775001", 2),
        ("9223372036854775005", "9223372036854775003", 3),
    ]
    first, second, third = lanterns.comments
    assert first.created == "2016-05-01T04:00:00Z" and first.author == "小明"
    assert second.text == "second level"
    assert third.flags == {"spam", "author_missing"}
    assert empty.comments == [] and empty.title == "No comments here"
    assert unlisted.id == "9007199254740993009" and unlisted.title is None
    assert report.comments_read == 4


def test_real_export_matches_its_stated_counts(read_all, shared_formats):
    threads, report = read_all(shared_formats / "duoshuo" / "cylong_duoshuo_export.json")
    assert (len(threads), sum(bool(t.comments) for t in threads)) == (38, 16)
    assert report.comments_read == report.comments_output == 134
    comments = [c for t in threads for c in t.comments]
    assert sum(c.parent_id is not None for c in comments) == 76
    assert max(c.depth for c in comments) == 6
    assert not any("orphan" in c.flags for c in comments)
    assert all(len(c.id) == 19 and c.id.isdigit() for c in comments)


def test_sniff_picks_duoshuo(shared_formats):
    path = shared_formats / "duoshuo" / "cylong_duoshuo_export.json"
    assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "duoshuo"
