"""The queue's full-text search on each database's own index (store/search.py): FTS5 on SQLite, the
GIN index over to_tsvector('simple', text) on PostgreSQL (which runs where THREADGUARD_TEST_POSTGRES is
set). What both promise is asserted for both; where they differ (a prefix, accents) each backend's
answer is asserted deliberately, as docs/server.md describes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.store.scored import score_of
from threadguard.policy import Policy
from threadguard.store.comments import QueueFilters, add_api_comment, queue, status_counts
from threadguard.store.decisions import decide
from threadguard.store.retention import purge
from threadguard.store.schema import STATUSES, CommentRow, utcnow

POLICY = Policy.load()
TEXTS = {
    "approved": "The council approved the new Tram line.",
    "fares": "Tram fares rise again; the COUNCIL is silent.",
    "transport": "Nothing about transport here, only immigration.",
    "cafe": "They were shooting them a look across the café.",
}


def _store(session: Session, community: str = "default") -> dict[str, int]:
    """The texts as pending comments (THREAT 0.5 is reviewed by the shipped policy); their ids by key."""
    score = score_of(THREAT=0.5)
    ids = {
        key: add_api_comment(session, text, score, POLICY.decide(score.attributes, community), community)
        for key, text in TEXTS.items()
    }
    session.commit()
    return ids


def _found(session: Session, ids: dict[str, int], query: str, **filters: Any) -> set[str]:
    names = {i: key for key, i in ids.items()}
    filters.setdefault("statuses", STATUSES)
    rows = queue(session, QueueFilters(search=query, **filters))
    return {names[c.id] for c in rows if c.id in names}


def test_every_word_must_occur_whatever_its_case_and_punctuation(session: Session) -> None:
    ids = _store(session)
    assert _found(session, ids, "tram") == {"approved", "fares"}
    assert _found(session, ids, "TRAM council") == {"approved", "fares"}
    assert _found(session, ids, "council, approved!") == {"approved"}
    assert _found(session, ids, "tram transport") == set()
    assert _found(session, ids, "bus") == set()


def test_only_the_last_word_may_be_a_prefix_and_only_on_sqlite(session: Session) -> None:
    ids = _store(session)
    sqlite = session.get_bind().dialect.name == "sqlite"
    # a word that is not the last one matches whole on both: "shoot" is not "shooting"
    assert _found(session, ids, "shoot them") == set()
    assert _found(session, ids, "shooting them") == {"cafe"}
    # the last word: FTS5 reads it as a prefix as the moderator types; PostgreSQL matches it whole
    assert _found(session, ids, "immigr") == ({"transport"} if sqlite else set())
    assert _found(session, ids, "only immigration") == {"transport"}


def test_accents_are_folded_on_sqlite_and_kept_on_postgresql(session: Session) -> None:
    ids = _store(session)
    sqlite = session.get_bind().dialect.name == "sqlite"
    assert _found(session, ids, "café") == {"cafe"}
    assert _found(session, ids, "across the cafe") == ({"cafe"} if sqlite else set())


def test_search_syntax_typed_by_a_moderator_is_read_as_words(session: Session) -> None:
    ids = _store(session)
    assert _found(session, ids, "council: tram!") == {"approved", "fares"}
    assert _found(session, ids, '"council') == {"approved", "fares"}
    assert _found(session, ids, "(tram) fares*") == {"fares"}
    assert _found(session, ids, "NEAR(tram council)") == set()  # "near" is a word the texts lack
    assert _found(session, ids, "tram OR transport") == set()  # "or" too: words are all required
    assert _found(session, ids, "!!! ---") == set()  # nothing to look for: nothing found


def test_search_narrows_the_other_filters_and_the_tab_counts(session: Session) -> None:
    ids = _store(session)
    sports = _store(session, community="sports")
    decide(session, [ids["approved"]], "approve", "tester")
    session.commit()
    assert _found(session, ids, "tram", statuses=("pending",)) == {"fares"}
    assert _found(session, sports, "tram", community="sports") == {"approved", "fares"}
    assert _found(session, ids, "tram", community="sports") == set()
    counts = status_counts(session, QueueFilters(search="tram council"))
    assert (counts["pending"], counts["approved"]) == (3, 1)


def test_purged_comments_leave_the_index(session: Session) -> None:
    """SQLite gives a new row the id of a deleted last one: an index entry left behind by the purge
    would make the new comment match the old one's words."""
    ids = _store(session)
    old = utcnow() - timedelta(days=100)
    gone = [ids["fares"], ids["cafe"]]  # "cafe" holds the highest id
    session.execute(update(CommentRow).where(CommentRow.id.in_(gone)).values(received_at=old))
    purge(session, timedelta(days=90), "tester")
    session.commit()
    score = score_of(THREAT=0.5)
    ids["quiet"] = add_api_comment(
        session, "A quiet evening.", score, POLICY.decide(score.attributes), "default"
    )
    session.commit()
    assert _found(session, ids, "tram") == {"approved"}
    assert _found(session, ids, "fares") == set()
    assert _found(session, ids, "shooting them") == set()
    assert _found(session, ids, "quiet evening") == {"quiet"}
