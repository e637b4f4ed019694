from __future__ import annotations

import re
from collections import Counter

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_comments_grouped_by_submission_with_its_article(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "pushshift.ndjson")
    assert report.format == "pushshift"
    knots, other = threads
    assert (knots.id, knots.title, knots.article) == (
        "s1",
        "Which knot holds best?",
        "Asking for a sailboat.",
    )
    assert [(c.id, c.parent_id, c.depth) for c in knots.comments] == [
        ("k1", None, 1),
        ("k2", "k1", 2),
        ("k3", "k2", 3),
    ]
    deleted = knots.comments[1]
    assert deleted.flags == {"deleted", "author_missing"} and deleted.text == ""
    assert deleted.created == "2014-05-13T16:56:40Z"  # created_utc as a string
    assert knots.comments[2].text == "Clove hitch slips & you know it."
    assert (other.id, other.comments[0].flags) == ("other", {"orphan"})
    assert report.warnings["invalid_json"] == 1  # the line cut inside a string
    assert report.comments_read == 4


def test_real_comment_lines_each_form_their_own_thread(read_all, shared_formats):
    threads, report = read_all(shared_formats / "pushshift_ndjson" / "paulE_test_comments.ndjson")
    assert (report.comments_read, report.comments_output, len(threads)) == (27, 27, 27)
    comments = [c for t in threads for c in t.comments]
    flags = Counter(flag for c in comments for flag in c.flags)
    assert (flags["orphan"], flags["deleted"], flags["author_missing"]) == (9, 4, 5)
    assert sum(c.parent_id is None for c in comments) == 18
    assert all(ISO_UTC.match(c.created) for c in comments)  # int, float and string created_utc alike


def test_real_submission_lines_are_threads_without_comments(read_all, shared_formats):
    threads, report = read_all(shared_formats / "pushshift_ndjson" / "paulE_test_submissions.ndjson")
    assert (len(threads), report.comments_read) == (31, 0)
    assert all(t.title for t in threads)


def test_sniff_picks_pushshift_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "pushshift_ndjson").glob("*.ndjson")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "pushshift", path.name
