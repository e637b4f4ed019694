from __future__ import annotations

import json

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_native_backup_groups_by_page_and_keeps_deleted_parents(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "remark42_backup.ndjson")
    assert report.format == "remark42"
    page_a, page_b = threads
    assert (page_a.id, page_a.url, page_b.id) == (
        "https://blog.example/a",
        "https://blog.example/a",
        "https://blog.example/b",
    )
    assert [(c.id, c.parent_id, c.depth) for c in page_a.comments] == [
        ("r1", None, 1),
        ("r2", "r1", 2),
        ("r3", "r2", 3),
    ]
    first, deleted, _ = page_a.comments
    assert first.text == "Top level note" and first.created == "2019-03-01T07:00:00Z"
    assert deleted.flags == {"deleted"}
    assert report.comments_read == 4


def test_api_tree_is_flattened_in_order(read_all, fixtures_dir):
    [thread], _ = read_all(fixtures_dir / "remark42_tree.json")
    assert [(c.id, c.depth) for c in thread.comments] == [("t1", 1), ("t2", 2), ("t3", 3), ("t4", 1)]
    assert thread.comments[1].flags == {"deleted", "author_missing"}


def test_flat_list_on_one_line(read_all, fixtures_dir, tmp_path):
    records = [
        json.loads(line) for line in (fixtures_dir / "remark42_backup.ndjson").read_text().splitlines()
    ]
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(records[1:]))
    threads, report = read_all(path)
    assert report.format == "remark42" and report.comments_read == 4 and len(threads) == 2


# file -> (threads, comments, max depth, orphans, deleted), from shared/formats/remark42/SOURCES.md
SAMPLES = {
    "remark42_native_backup.ndjson": (2, 2, 1, 1, 0),
    "remark42_radiot_comments_flat.json": (1, 58, 4, 0, 0),
    "remark42_tree.json": (1, 12, 3, 0, 0),
    "remark42_tree_del.json": (1, 9, 4, 0, 1),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_samples_match_their_stated_counts(name, read_all, shared_formats):
    n_threads, comments, depth, orphans, deleted = SAMPLES[name]
    threads, report = read_all(shared_formats / "remark42" / name)
    assert report.format == "remark42"
    assert (len(threads), report.comments_read, report.comments_output) == (n_threads, comments, comments)
    all_comments = [c for t in threads for c in t.comments]
    assert max(c.depth for c in all_comments) == depth
    assert sum("orphan" in c.flags for c in all_comments) == orphans
    assert sum("deleted" in c.flags for c in all_comments) == deleted


def test_real_deleted_node_keeps_its_reply(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "remark42" / "remark42_tree_del.json")
    [deleted] = [c for c in thread.comments if "deleted" in c.flags]
    assert deleted.depth == 3
    assert [c.depth for c in thread.comments if c.parent_id == deleted.id] == [4]


def test_real_flat_comments_are_plain_text(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "remark42" / "remark42_radiot_comments_flat.json")
    assert not any("<a " in c.text or "<p>" in c.text for c in thread.comments)
    assert thread.url == "https://radio-t.com/p/2017/12/16/podcast-576/"


def test_sniff_picks_remark42_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "remark42").glob("*json")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "remark42", path.name
