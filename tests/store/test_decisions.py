from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.policy import Policy
from threadguard.store import audit
from threadguard.store.comments import add_api_comment
from threadguard.store.decisions import DecisionError, RequestIdReusedError, decide


def _comments(session: Session, n: int) -> list[int]:
    score = score_of(TOXICITY=0.7)
    decision = Policy.load().decide(score.attributes)
    ids = [add_api_comment(session, f"c{i}", score, decision, "default") for i in range(n)]
    session.commit()
    return ids


def test_a_decision_changes_state_and_is_audited(session: Session) -> None:
    ids = _comments(session, 3)
    rows, applied = decide(session, ids[:2], "reject", actor="mod", reason="threat")
    session.commit()
    assert applied and {r.status for r in rows} == {"rejected"} and {r.decided_by for r in rows} == {"mod"}
    entries = audit.entries(session, action="reject")
    assert sorted(e.comment_id for e in entries) == ids[:2]
    assert {(e.actor, e.reason, e.detail["from"], e.detail["to"]) for e in entries} == {
        ("mod", "threat", "pending", "rejected")
    }


def test_a_retried_request_is_applied_once(session: Session) -> None:
    ids = _comments(session, 2)
    decide(session, ids, "approve", actor="mod", request_id="req-1")
    session.commit()
    _, applied = decide(session, ids, "approve", actor="mod", request_id="req-1")
    session.commit()
    assert not applied
    assert len(audit.entries(session, action="approve")) == 2


def test_a_request_id_with_percent_or_underscore_only_matches_itself(session: Session) -> None:
    """The id is matched as a literal prefix: "req_%" must not find "req-1"'s entries."""
    ids = _comments(session, 3)
    decide(session, ids[:1], "approve", actor="mod", request_id="req-1")
    session.commit()
    _, applied = decide(session, ids[1:], "reject", actor="mod", request_id="req_%")
    session.commit()
    assert applied
    with pytest.raises(RequestIdReusedError, match="different decision"):
        decide(session, ids[2:], "reject", actor="mod", request_id="req_%")


def test_bad_decisions_change_nothing(session: Session) -> None:
    ids = _comments(session, 1)
    with pytest.raises(DecisionError, match="unknown action"):
        decide(session, ids, "delete", actor="mod")
    with pytest.raises(DecisionError, match="no comments with ids"):
        decide(session, [*ids, 999_999], "reject", actor="mod")
    session.rollback()
    assert audit.entries(session, action="reject") == []


def test_the_audit_log_is_append_only(session: Session) -> None:
    ids = _comments(session, 1)
    decide(session, ids, "escalate", actor="mod")
    session.commit()
    entry = audit.entries(session)[0]
    entry.reason = "rewritten history"
    with pytest.raises(PermissionError, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(audit.entries(session)[0])
    with pytest.raises(PermissionError, match="append-only"):
        session.flush()
