"""Per-community banned and suspect words added in the app; the policy file's lists add to them."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadguard.policy.words import KINDS, clean_word
from threadguard.store import audit
from threadguard.store.schema import WordEntry

LISTS = select(WordEntry.kind, WordEntry.word).where(WordEntry.community == bindparam("community"))


class WordError(ValueError):
    """An unknown list or an empty word; nothing was changed."""


def lists(session: Session, community: str) -> tuple[list[str], list[str]]:
    """(banned, suspect) words of a community, as the policy's `words` argument takes them."""
    rows = session.execute(LISTS, {"community": community})  # built once: this runs on every stored comment
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for kind, word in rows:
        found.setdefault(kind, []).append(word)
    return sorted(found["banned"]), sorted(found["suspect"])


def entries(session: Session) -> list[WordEntry]:
    return list(
        session.scalars(select(WordEntry).order_by(WordEntry.community, WordEntry.kind, WordEntry.word))
    )


def add(session: Session, community: str, kind: str, word: str, actor: str) -> WordEntry | None:
    """Add a word (audited); None when the list already has it."""
    if kind not in KINDS:
        raise WordError(f"unknown word list {kind!r}; one of {', '.join(KINDS)}")
    cleaned = clean_word(word)
    if not cleaned:
        raise WordError("the word is empty")
    exists = session.scalar(
        select(WordEntry).where(
            WordEntry.community == community, WordEntry.kind == kind, WordEntry.word == cleaned
        )
    )
    if exists:
        return None
    entry = WordEntry(community=community, kind=kind, word=cleaned, added_by=actor)
    session.add(entry)
    audit.record(session, actor, "word_add", detail={"community": community, "kind": kind, "word": cleaned})
    return entry


def remove(session: Session, entry_id: int, actor: str) -> bool:
    entry = session.get(WordEntry, entry_id)
    if entry is None:
        return False
    detail = {"community": entry.community, "kind": entry.kind, "word": entry.word}
    session.delete(entry)
    audit.record(session, actor, "word_remove", detail=detail)
    return True
