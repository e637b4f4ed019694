from __future__ import annotations

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_export_groups_by_page_names_authors_and_maps_states(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "commento.json")
    assert report.format == "commento"
    beans, peas = threads
    assert (beans.id, peas.id) == ("garden.example/beans", "garden.example/peas")
    assert [(c.id, c.parent_id, c.depth) for c in beans.comments] == [
        ("aa01", None, 1),
        ("aa02", "aa01", 2),
        ("aa03", "aa02", 3),
    ]
    first, spam, deleted = beans.comments
    assert (first.author, first.text, first.created) == (
        "Gardener Gil",
        "Beans need poles.",
        "2021-06-01T08:00:00.500000Z",
    )
    assert spam.flags == {"spam", "author_missing"} and spam.author is None
    assert deleted.flags == {"deleted", "unapproved"}
    assert peas.comments[0].text == "Peas & carrots"  # from the html when markdown is empty


# file -> (threads, comments, max depth, anonymous), from shared/formats/commento/SOURCES.md
SAMPLES = {"remark42_commento_export.json": (2, 3, 2, 1), "remark42_api_commento_export.json": (1, 7, 2, 0)}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_samples_match_their_stated_counts(name, read_all, shared_formats):
    n_threads, comments, depth, anonymous = SAMPLES[name]
    threads, report = read_all(shared_formats / "commento" / name)
    assert (len(threads), report.comments_read, report.comments_output) == (n_threads, comments, comments)
    all_comments = [c for t in threads for c in t.comments]
    assert max(c.depth for c in all_comments) == depth
    assert sum("author_missing" in c.flags for c in all_comments) == anonymous
    assert all(c.created.endswith("Z") for c in all_comments)


def test_sniff_picks_commento_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "commento").glob("*.json")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "commento", path.name
