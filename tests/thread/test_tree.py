"""Tree assembly keeps every comment and counts every repair."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from threadguard.thread.model import Comment
from threadguard.thread.tree import assemble, make_thread


def c(cid: str, parent: str | None, text: str = "x") -> Comment:
    return Comment(cid, parent, text)


def test_replies_follow_their_parent_in_input_order_with_depths() -> None:
    out = assemble([c("b1", "a"), c("a", None), c("c", None), c("b2", "a"), c("d", "b1")])
    assert [(x.id, x.depth) for x in out] == [("a", 1), ("b1", 2), ("d", 3), ("b2", 2), ("c", 1)]


def test_orphans_become_top_level_and_keep_the_parent_they_named() -> None:
    warnings: Counter[str] = Counter()
    out = assemble([c("a", None), c("o", "missing"), c("r", "o")], warnings)
    orphan = next(x for x in out if x.id == "o")
    assert orphan.depth == 1 and orphan.parent_id == "missing" and "orphan" in orphan.flags
    assert next(x for x in out if x.id == "r").depth == 2
    assert warnings == {"orphan": 1}


def test_cycles_are_cut_at_their_first_comment_and_self_parents_too() -> None:
    warnings: Counter[str] = Counter()
    out = assemble([c("x", "z"), c("y", "x"), c("z", "y"), c("s", "s")], warnings)
    assert [(x.id, x.depth) for x in out] == [("x", 1), ("y", 2), ("z", 3), ("s", 1)]
    assert {x.id for x in out if "cycle" in x.flags} == {"x", "s"}
    assert warnings == {"cycle": 2}


def test_repeated_ids_merge_when_identical_and_are_renamed_otherwise() -> None:
    warnings: Counter[str] = Counter()
    out = assemble(
        [c("a", None, "one"), c("a", None, "one"), c("a", None, "two"), c("a", None, "three")], warnings
    )
    assert [x.id for x in out] == ["a", "a~1", "a~2"]
    assert [x.text for x in out] == ["one", "two", "three"]
    assert warnings == {"duplicate_merged": 1, "duplicate_id": 2}


def test_a_100000_deep_chain_needs_no_recursion() -> None:
    chain = [c(str(i), str(i - 1) if i else None) for i in range(100_000)]
    out = assemble(reversed(chain))
    assert out[-1].depth == 100_000 and [x.id for x in out[:3]] == ["0", "1", "2"]


def test_make_thread_carries_metadata_and_repairs() -> None:
    thread = make_thread("jsonl", [c("a", "gone")], id="t1", title="Title")
    assert (thread.id, thread.title, thread.source) == ("t1", "Title", "jsonl")
    assert thread.warnings == {"orphan": 1}
    assert thread.parent_of(thread.comments[0]) is None


def test_make_thread_replaces_lone_surrogates_and_counts_each_comment_repaired() -> None:
    comments = [
        Comment("a\ud800", None, "hi \udfff", author="ann\ud800", created="2025\ud800"),
        Comment("a\udbff", "a\ud800", "fine"),  # its own id collides with the first once repaired
        Comment("b", "a\ud800", "fine \U0001f600"),  # a real emoji is no lone surrogate
        Comment("c", None, "clean"),
    ]
    thread = make_thread("jsonl\ud800", comments, id="t\ud800", title="T\udfff", url=None)
    assert (thread.source, thread.id, thread.title, thread.url) == ("jsonl\ufffd", "t\ufffd", "T\ufffd", None)
    first, renamed, emoji = (thread.by_id()[i] for i in ("a\ufffd", "a\ufffd~1", "b"))
    assert (first.text, first.author, first.created) == ("hi \ufffd", "ann\ufffd", "2025\ufffd")
    assert renamed.parent_id == emoji.parent_id == "a\ufffd" and emoji.text == "fine \U0001f600"
    assert thread.warnings == {"lone_surrogate": 4, "duplicate_id": 1}  # three comments and the thread


@given(st.lists(st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30))), max_size=60))
def test_any_parent_links_give_every_comment_once_and_a_valid_tree(links) -> None:
    comments = [c(str(i), None if p is None else str(p), f"t{n}") for n, (i, p) in enumerate(links)]
    warnings: Counter[str] = Counter()
    out = assemble(comments, warnings)
    assert len(out) + warnings["duplicate_merged"] == len(links)
    assert len({x.id for x in out}) == len(out)
    seen: dict[str, int] = {}
    for x in out:
        tree_parent = None if x.flags & {"orphan", "cycle"} else x.parent_id
        assert x.depth == (1 if tree_parent is None else seen[tree_parent] + 1)
        seen[x.id] = x.depth
