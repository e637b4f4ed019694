"""Copy-paste campaigns: the same long comment in several threads, found with MinHash."""

from __future__ import annotations

from threadguard.thread.duplicates import Posting, near_duplicates

CAMPAIGN = "Everyone should call their representative today and demand the bridge tolls are scrapped now"


def test_a_comment_pasted_across_threads_is_one_group_with_small_edits() -> None:
    postings = [
        Posting("t1", "1", "a", CAMPAIGN),
        Posting("t2", "7", "b", CAMPAIGN + "!!"),
        Posting(
            "t3",
            "9",
            "c",
            "Everyone should call their representative today and demand the bridge tolls are scrapped",
        ),
        Posting(
            "t3", "10", "d", "The weather on the coast was lovely for the regatta this weekend, well done"
        ),
    ]
    groups = near_duplicates(postings)
    assert len(groups) == 1
    assert {p.comment_id for p in groups[0]} == {"1", "7", "9"}


def test_repeats_inside_one_thread_and_short_stock_replies_are_not_campaigns() -> None:
    postings = [Posting("t1", "1", "a", CAMPAIGN), Posting("t1", "2", "a", CAMPAIGN)]
    postings += [Posting(f"t{i}", "x", None, "Agreed, thanks.") for i in range(5)]
    assert near_duplicates(postings) == []


def test_results_are_deterministic() -> None:
    postings = [Posting(f"t{i}", str(i), None, CAMPAIGN + f" {i % 2}") for i in range(6)]
    assert near_duplicates(postings) == near_duplicates(postings)
