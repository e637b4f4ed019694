from __future__ import annotations

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_threads_are_flat_ordered_by_id_with_decoded_titles(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "isso.json")
    assert report.format == "isso"
    rain, calm = threads
    assert (rain.id, rain.url, rain.title, calm.title) == ("/notes/2/", "/notes/2/", "Rain & Wind", "Calm")
    assert [(c.id, c.depth, c.text) for c in rain.comments] == [
        ("1", 1, "First by id."),
        ("2", 1, "Second by id, listed first."),
    ]
    assert rain.comments[0].flags == {"author_missing"}
    assert rain.comments[1].created == "2012-04-01 10:00:00"  # no zone given: kept as given
    assert report.comments_read == 3


def test_real_sample_matches_its_stated_counts(read_all, shared_formats):
    threads, report = read_all(shared_formats / "other" / "isso_generic.json")
    assert (len(threads), report.comments_read, report.comments_output) == (2, 2, 2)
    assert [t.title for t in threads] == ["Test post", "Nat & Miguel"]
    assert all(c.depth == 1 and c.parent_id is None for t in threads for c in t.comments)


def test_sniff_picks_isso(shared_formats):
    path = shared_formats / "other" / "isso_generic.json"
    assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "isso"
