"""New Reddit: depth only in the inline padding (2019) or a depth attribute (2023)."""

from __future__ import annotations

from tests.ingest.html.helpers import max_depth, tree_of
from threadguard.ingest.html import family_of, reddit


def test_depth_from_padding(read_page, pages):
    thread, _ = read_page(pages / "reddit.html")
    assert [(c.id, c.parent_id, c.depth) for c in thread.comments] == [
        ("t1_aaa1", None, 1),
        ("t1_aaa2", "t1_aaa1", 2),
        ("t1_aaa3", "t1_aaa2", 3),
        ("t1_aaa4", None, 1),
        ("t1_aaa5", "t1_aaa4", 2),
    ]
    by_id = thread.by_id()
    first = by_id["t1_aaa1"]
    assert (first.author, first.created) == ("allium_fan", "2020-09-13T12:26:40+00:00")  # from the state blob
    assert first.text == "Cool, dark and dry. Never next to potatoes."  # no "level 1", points or age
    assert by_id["t1_aaa3"].text == "They trade gases. <script>science</script>"
    assert by_id["t1_aaa3"].flags == {"author_missing"}
    assert "deleted" in by_id["t1_aaa4"].flags


def test_depth_attribute(read_page, pages):
    thread, _ = read_page(pages / "shreddit.html")
    assert [(c.id, c.parent_id, c.depth, c.author) for c in thread.comments] == [
        ("t1_k1", None, 1, "citric_acid"),
        ("t1_k2", "t1_k1", 2, "vinegar_vic"),
        ("t1_k3", None, 1, "[deleted]"),
    ]
    assert thread.comments[0].text == "Citric acid, every time."  # not the nested reply's text
    assert thread.comments[2].flags == {"deleted"}


def test_real_page(read_page, shared_formats):
    """SOURCES.md: 19 rendered comments, depth 2 from padding-left 16px / 37px."""
    path = shared_formats / "html_reddit" / "traf_reddit.com.init.html"
    thread, _ = read_page(path)
    assert family_of(tree_of(path)) is reddit
    assert len(thread.comments) == 19 and max_depth(thread) == 2
    by_id = thread.by_id()
    assert by_id["t1_c95ey1k"].parent_id == "t1_c95cjs5" and by_id["t1_c95cjs5"].author == "reostra"
    assert by_id["t1_c95eiwn"].parent_id == "t1_c95dsuy"
    assert thread.title.endswith("what to include in __init__.py ?")
