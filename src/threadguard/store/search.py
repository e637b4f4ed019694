"""Full-text search over comment text with the database's own index (made by migration 0003): FTS5 on
SQLite, to_tsvector / plainto_tsquery on PostgreSQL. Every word of the query must occur; on SQLite the
last one may be a prefix ("immigr" finds "immigration") as the moderator types."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, func, text
from sqlalchemy.orm import Session

from threadguard.store.schema import CommentRow

WORD = re.compile(r"\w+")
MAX_WORDS = 12


def fts5_query(query: str) -> str | None:
    """The moderator's words as an FTS5 query of quoted terms: FTS5's own syntax (AND, NEAR, column
    filters, quotes) in the input is taken literally and never reaches the parser as syntax."""
    words = WORD.findall(query)[:MAX_WORDS]
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words[:-1]) + (" " if len(words) > 1 else "") + f'"{words[-1]}"*'


def matches(session: Session, query: str) -> ColumnElement[bool]:
    """A condition on CommentRow: its text contains every word of `query`."""
    if session.get_bind().dialect.name == "sqlite":
        terms = fts5_query(query)
        if terms is None:
            return CommentRow.id.is_(None)  # nothing to look for: nothing matches
        ids = text("SELECT rowid FROM comments_fts WHERE comments_fts MATCH :terms").bindparams(terms=terms)
        return CommentRow.id.in_(ids.columns(rowid=CommentRow.id.type))
    document = func.to_tsvector(text("'simple'"), CommentRow.text)
    return document.op("@@")(func.plainto_tsquery(text("'simple'"), query))
