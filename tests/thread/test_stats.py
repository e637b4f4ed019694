"""Thread summaries and author records count what the scores say."""

from __future__ import annotations

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.scores import CommentScore
from threadguard.thread.model import Comment
from threadguard.thread.scoring import ScoredComment
from threadguard.thread.stats import ThreadSummary, author_records

THRESHOLDS = dict.fromkeys(ATTRIBUTES, 0.5)


def scored(
    cid: str, author: str | None, ia: float, religion: float = 0.0, effect: float = 0.0
) -> ScoredComment:
    attributes = dict.fromkeys(ATTRIBUTES, 0.1) | {"IDENTITY_ATTACK": ia, "TOXICITY": ia}
    targets = dict.fromkeys(TARGET_GROUPS, 0.0) | {"religion": religion}
    effect_map = {"TOXICITY": effect} if effect else {}
    score = CommentScore(attributes, targets, {}, ia >= 0.5, "en", "m", [], effect_map)
    return ScoredComment(Comment(cid, None, "text", author), score)


def test_summary_counts_flags_targets_authors_and_context_moves() -> None:
    items = [
        scored("1", "a", 0.9, religion=0.8),
        scored("2", "a", 0.7, religion=0.2, effect=0.3),
        scored("3", None, 0.1),
        ScoredComment(Comment("4", None, ""), None),
    ]
    summary = ThreadSummary().add(items, THRESHOLDS)
    d = summary.as_dict()
    assert (d["comments"], d["scored"], d["flagged"], d["changed_by_context"]) == (4, 3, 2, 1)
    assert d["flagged_share"]["IDENTITY_ATTACK"] == round(2 / 3, 4)
    assert d["targeted_groups"] == {"religion": 1}
    assert d["authors_most_flagged"] == {"a": 2}


def test_author_records_span_threads_and_skip_anonymous_comments() -> None:
    records = author_records(
        [("t1", [scored("1", "a", 0.9), scored("2", None, 0.9)]), ("t2", [scored("3", "a", 0.1)])]
    )
    assert set(records) == {"a"}
    assert (records["a"].comments, records["a"].flagged, records["a"].threads) == (2, 1, {"t1", "t2"})
    assert records["a"].flagged_rate == 0.5
