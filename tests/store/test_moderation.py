"""Authors' standings and word lists as the policy applies them to new comments, with the store's
real tables (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.policy import Policy
from threadguard.policy.words import WordMatcher
from threadguard.store import audit, words
from threadguard.store.authors import AuthorError, records, set_standing, standings
from threadguard.store.comments import ingest_thread
from threadguard.store.decisions import DecisionError, decide
from threadguard.store.moderation import decide_new
from threadguard.store.schema import CommentRow, utcnow
from threadguard.thread.model import Comment
from threadguard.thread.tree import make_thread

POLICY = Policy.load(Path(__file__).resolve().parents[1] / "fixtures" / "policy" / "words.toml")
CLEAN = score_of()


def test_words_match_after_evasion_normalisation_and_only_whole() -> None:
    matcher = WordMatcher(banned=["banned"], suspect=["sketchy phrase"])
    for text in (
        "this is b4nned",
        "B A N N E D",
        "b*nned!",
        "ｂａｎｎｅｄ",
        "bаnned",
    ):  # the last: Cyrillic а
        assert [h.word for h in matcher.find(text)] == ["banned"], text
    assert matcher.find("unbanned and banning") == []
    assert [(h.kind, h.word) for h in matcher.find("a SKETCHY   phrase")] == [("suspect", "sketchy phrase")]


def test_policy_file_lists_reject_and_review_before_the_model() -> None:
    banned = POLICY.decide(CLEAN.attributes, text="you are b4nned")
    assert (banned.action, banned.reasons) == ("reject", ["banned word: banned"])
    suspect = POLICY.decide(CLEAN.attributes, text="a sketchy phrase")
    assert (suspect.action, suspect.reasons) == ("review", ["suspect word: sketchy phrase"])
    # a community keeps the default's words and adds its own
    assert POLICY.decide(CLEAN.attributes, "newsroom", text="sp4mword").action == "reject"
    assert POLICY.decide(CLEAN.attributes, "other", text="sp4mword").action == "approve"
    assert POLICY.decide(CLEAN.attributes, "newsroom", text="banned").action == "reject"


def test_lists_added_in_the_app_apply_to_their_community(session: Session) -> None:
    assert words.add(session, "default", "suspect", "  Fishy  ", "admin").word == "fishy"
    assert words.add(session, "default", "suspect", "fishy", "admin") is None  # already listed
    words.add(session, "sports", "banned", "ref is blind", "admin")
    session.commit()
    assert words.lists(session, "default") == ([], ["fishy"])
    texts = [("f1shy offer", None, CLEAN), ("the ref is blind", None, CLEAN)]
    default = decide_new(session, POLICY, "default", texts)
    assert [d.action for d in default] == ["review", "approve"]
    assert [d.action for d in decide_new(session, POLICY, "sports", texts)] == ["approve", "reject"]
    with pytest.raises(ValueError, match="unknown word list"):
        words.add(session, "default", "naughty", "x", "admin")
    entry = words.lists(session, "sports")
    assert entry == (["ref is blind"], [])
    assert {e.action for e in audit.entries(session)} == {"word_add"}


def test_author_standings_decide_their_next_comments(session: Session) -> None:
    set_standing(session, "default", "troll", "ban", "mod", reason="spam campaign")
    set_standing(session, "default", "newbie", "premoderate", "mod")
    set_standing(session, "default", "away", "suspend", "mod", until=utcnow() + timedelta(days=1))
    set_standing(session, "sports", "troll", "trust", "mod")
    session.commit()
    comments = [("hello", a, CLEAN) for a in ("troll", "newbie", "away", "someone")]
    decided = decide_new(session, POLICY, "default", comments)
    assert [d.action for d in decided] == ["reject", "review", "reject", "approve"]
    assert decided[0].reasons == ["author banned (spam campaign)"]
    assert decided[2].reasons[0].startswith("author suspended until ")
    assert decide_new(session, POLICY, "sports", comments[:1])[0].action == "approve"  # per community
    trail = audit.entries(session)
    assert [e.action for e in trail][::-1] == [
        "author_ban",
        "author_premoderate",
        "author_suspend",
        "author_trust",
    ]
    assert trail[-1].detail == {
        "community": "default",
        "author": "troll",
        "from": None,
        "to": "banned",
        "until": None,
    }
    set_standing(session, "default", "troll", "clear", "mod", reason="appeal")
    session.commit()
    assert decide_new(session, POLICY, "default", comments[:1])[0].action == "approve"
    with pytest.raises(AuthorError, match="end in the future"):
        set_standing(session, "default", "x", "suspend", "mod", until=utcnow() - timedelta(hours=1))
    with pytest.raises(AuthorError, match="unknown author action"):
        set_standing(session, "default", "x", "shadowban", "mod")


def test_new_commenters_wait_until_enough_comments_are_approved(session: Session) -> None:
    comments = [Comment(str(i), None, f"comment {i}", author="fresh") for i in range(3)]
    thread = make_thread("jsonl", comments, id="n")
    first = decide_new(session, POLICY, "newsroom", [(c.text, c.author, CLEAN) for c in comments])
    assert {d.reasons[0] for d in first} == {"new commenter (0 of 2 comments approved)"}
    ingest_thread(session, thread, [CLEAN] * 3, first, "newsroom", actor="t", fallback_key="f")
    session.commit()
    ids = list(session.scalars(select(CommentRow.id).order_by(CommentRow.id)))
    decide(session, ids[:2], "approve", actor="mod")
    session.commit()
    assert standings(session, "newsroom", ["fresh"])["fresh"].approved == 2
    assert decide_new(session, POLICY, "newsroom", [("again", "fresh", CLEAN)])[0].action == "approve"
    assert records(session, ["fresh", "nobody"]) == {"fresh": (3, 0)}


def test_undo_puts_back_the_state_before_the_last_decision(session: Session) -> None:
    thread = make_thread("jsonl", [Comment("1", None, "x", author="a")], id="u")
    ingest_thread(
        session, thread, [score_of(THREAT=0.5)], [POLICY.decide({"THREAT": 0.5})], "default", "t", "f"
    )
    session.commit()
    comment_id = session.scalar(select(CommentRow.id))
    rows, _ = decide(session, [comment_id], "reject", actor="mod")
    assert rows[0].status == "rejected"
    rows, _ = decide(session, [comment_id], "undo", actor="mod", reason="wrong key")
    assert rows[0].status == "pending"
    last = audit.entries(session, comment_id=comment_id)[0]
    assert (last.action, last.detail["from"], last.detail["to"]) == ("undo", "rejected", "pending")
    with pytest.raises(DecisionError, match="nothing to undo"):
        decide(session, [comment_id], "undo", actor="mod")
