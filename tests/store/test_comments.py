from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.policy import Policy
from threadguard.store import audit
from threadguard.store import comments as store_comments
from threadguard.store.comments import (
    SORTS,
    QueueFilters,
    add_api_comment,
    author_history,
    get_comment,
    ingest_thread,
    parent_of,
    parse_time,
    queue,
    thread_of_comment,
)
from threadguard.store.schema import CommentRow
from threadguard.thread.model import Comment
from threadguard.thread.tree import make_thread

POLICY = Policy.load()


def _thread(thread_id: str = "t1"):
    comments = [
        Comment("1", None, "first", author="ann", created="2025-03-01T10:00:00Z"),
        Comment("2", "1", "reply", author="bob", created="2025-03-01T11:00:00+01:00"),
        Comment("3", None, "other", author="ann", created="not a date"),
    ]
    return make_thread("jsonl", comments, id=thread_id, title="A story", article="About a folk song.")


def _ingest(session: Session, thread, risks=(0.995, 0.45, 0.02), community="default"):
    scores = [score_of(THREAT=r) for r in risks]
    decisions = [POLICY.decide(s.attributes, community) for s in scores]
    result = ingest_thread(session, thread, scores, decisions, community, actor="tester", fallback_key="f")
    session.commit()
    return result


def test_ingest_stores_each_comment_once_even_when_repeated(session: Session) -> None:
    first = _ingest(session, _thread())
    again = _ingest(session, _thread())
    assert (first.new, first.existing) == (3, 0)
    assert (again.new, again.existing) == (0, 3)
    assert again.thread_id == first.thread_id
    assert session.scalar(select(func.count()).select_from(CommentRow)) == 3
    assert [e.detail["new"] for e in audit.entries(session, action="ingest_thread")] == [0, 3]


@pytest.mark.parametrize("lookup_ids", [500, 2], ids=["by-id", "whole-thread"])
def test_a_grown_thread_adds_only_its_new_comment(session: Session, monkeypatch, lookup_ids) -> None:
    """Small batches look up only their own ids, large ones read the thread's: both find the stored."""
    monkeypatch.setattr(store_comments, "LOOKUP_IDS", lookup_ids)
    _ingest(session, _thread())
    grown = _thread()
    grown.comments.append(Comment("4", "2", "a late reply", author="cy"))
    again = _ingest(session, grown, risks=(0.995, 0.45, 0.02, 0.01))
    assert (again.new, again.existing) == (1, 3)
    texts = session.scalars(select(CommentRow.text).order_by(CommentRow.id))
    assert list(texts) == ["first", "reply", "other", "a late reply"]


def test_policy_action_sets_the_starting_state(session: Session) -> None:
    _ingest(session, _thread())
    by_id = {c.external_id: c for c in session.scalars(select(CommentRow))}
    assert (by_id["1"].policy_action, by_id["1"].status, by_id["1"].decided_by) == (
        "reject",
        "rejected",
        "policy",
    )
    assert (by_id["2"].policy_action, by_id["2"].status, by_id["2"].decided_by) == ("review", "pending", None)
    assert (by_id["3"].policy_action, by_id["3"].status) == ("approve", "approved")
    assert by_id["1"].spans == {"THREAT": [{"begin": 0, "end": 4, "score": 0.3}]}
    assert by_id["1"].scores()["THREAT"] == 0.995


def test_times_are_read_as_utc_and_unreadable_ones_fall_back() -> None:
    assert parse_time("2025-03-01T11:00:00+01:00") == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert parse_time("2025-03-01 10:00:00") == datetime(2025, 3, 1, 10, tzinfo=UTC)
    assert parse_time("yesterday") is None
    assert parse_time(None) is None
    assert parse_time("0001-01-01T00:00:00+01:00") is None  # before UTC's year 1: kept without a time
    assert parse_time("9999-12-31T23:59:59-01:00") is None


def test_queue_orders_by_risk_and_filters(session: Session) -> None:
    _ingest(session, _thread("t1"), risks=(0.5, 0.7, 0.36))
    _ingest(session, _thread("t2"), risks=(0.4, 0.6, 0.01), community="sports")
    everything = queue(session, QueueFilters(statuses=("pending", "approved", "rejected")))
    assert [c.risk for c in everything] == sorted((c.risk for c in everything), reverse=True)
    pending = queue(session, QueueFilters())
    assert {c.status for c in pending} == {"pending"}
    assert [c.risk for c in pending] == [0.7, 0.6, 0.5, 0.4, 0.36]
    assert {c.community for c in queue(session, QueueFilters(community="sports"))} == {"sports"}
    assert {c.author for c in queue(session, QueueFilters(author="ann"))} == {"ann"}
    threat = queue(session, QueueFilters(attribute="THREAT", min_score=0.55))
    assert [c.score_threat for c in threat] == [0.7, 0.6]
    first_thread = pending[0].thread_id
    assert {c.thread_id for c in queue(session, QueueFilters(thread_id=first_thread))} == {first_thread}
    march = queue(
        session, QueueFilters(since=datetime(2025, 3, 1, tzinfo=UTC), until=datetime(2025, 3, 2, tzinfo=UTC))
    )
    assert {c.external_id for c in march} <= {"1", "2"} and march
    assert len(queue(session, QueueFilters(limit=2))) == 2


def test_queue_pages_cover_the_queue_once_in_each_order(session: Session) -> None:
    """A page's ids are chosen before its rows are read (store/comments.py): the pages, ties in risk
    included, must still add up to the whole queue in its order."""
    for i, risks in enumerate([(0.5, 0.5, 0.4), (0.5, 0.45, 0.4), (0.6, 0.5, 0.36)]):
        _ingest(session, _thread(f"t{i}"), risks=risks)
    keys = {
        "risk": lambda c: (-c.risk, c.id),
        "newest": lambda c: (-c.posted_at.timestamp(), -c.id),
        "oldest": lambda c: (c.posted_at.timestamp(), c.id),
    }
    for sort in SORTS:
        whole = queue(session, QueueFilters(sort=sort))
        assert len(whole) == 9 and whole == sorted(whole, key=keys[sort])
        pages = [queue(session, QueueFilters(sort=sort, limit=2, offset=o)) for o in range(0, 10, 2)]
        assert [c.id for page in pages for c in page] == [c.id for c in whole]


def test_parent_and_author_history(session: Session) -> None:
    _ingest(session, _thread())
    reply = session.scalar(select(CommentRow).where(CommentRow.external_id == "2"))
    assert parent_of(session, reply).text == "first"
    top = session.scalar(select(CommentRow).where(CommentRow.external_id == "1"))
    assert parent_of(session, top) is None
    history = author_history(session, "ann")
    assert history["total"] == 2
    assert history["by_status"] == {"rejected": 1, "approved": 1}


def test_a_comment_s_thread_is_found_by_its_id_within_the_source_and_community(session: Session) -> None:
    here = _ingest(session, _thread("t1"), community="Mastodon:a.example")
    _ingest(session, _thread("t2"), community="Mastodon:b.example")  # the same comment ids elsewhere
    row = thread_of_comment(session, "jsonl", "Mastodon:a.example", "2")
    assert row is not None and (row.id, row.external_id) == (here.thread_id, "t1")
    assert thread_of_comment(session, "jsonl", "Mastodon:a.example", "9") is None
    assert thread_of_comment(session, "mastodon", "Mastodon:a.example", "2") is None
    assert thread_of_comment(session, "jsonl", "Mastodon:c.example", "2") is None


def test_api_comments_have_no_thread(session: Session) -> None:
    score = score_of(INSULT=0.8)
    comment_id = add_api_comment(session, "text", score, POLICY.decide(score.attributes), "default")
    session.commit()
    row = get_comment(session, comment_id)
    assert (row.origin, row.thread_id, row.status, row.decided_by) == ("api", None, "pending", None)
    assert row.score_insult == 0.8 and row.spans == {"INSULT": [{"begin": 0, "end": 4, "score": 0.3}]}
