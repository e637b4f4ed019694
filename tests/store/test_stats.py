from __future__ import annotations

from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.attributes import ATTRIBUTES
from threadguard.policy import Policy
from threadguard.store.comments import ingest_thread
from threadguard.store.stats import daily, totals
from threadguard.thread.model import Comment
from threadguard.thread.tree import make_thread


def test_daily_volume_and_flagged_share(session: Session) -> None:
    comments = [
        Comment("a", None, "x", created="2025-03-01T10:00:00Z"),
        Comment("b", None, "y", created="2025-03-01T12:00:00Z"),
        Comment("c", None, "z", created="2025-03-02T09:00:00Z"),
    ]
    scores = [score_of(THREAT=0.995), score_of(INSULT=0.7), score_of()]
    policy = Policy.load()
    decisions = [policy.decide(s.attributes) for s in scores]
    thread = make_thread("jsonl", comments, id="s")
    ingest_thread(session, thread, scores, decisions, "default", actor="t", fallback_key="f")
    session.commit()
    days = daily(session, dict.fromkeys(ATTRIBUTES, 0.5))
    assert [d["day"] for d in days] == ["2025-03-01", "2025-03-02"]
    assert days[0]["total"] == 2 and days[1]["total"] == 1
    assert days[0]["flagged"]["THREAT"] == 1 and days[0]["flagged_share"]["INSULT"] == 0.5
    assert days[1]["flagged_share"]["THREAT"] == 0.0
    assert totals(session) == {"pending": 1, "escalated": 0, "reported": 0, "approved": 1, "rejected": 1}
    stricter = daily(session, dict.fromkeys(ATTRIBUTES, 0.5) | {"INSULT": 0.8})
    assert stricter[0]["flagged"]["INSULT"] == 0 and stricter[0]["flagged"]["THREAT"] == 1
