"""moderation workflow: author standings, word lists, policy reasons, the queue index, full-text search

Revision ID: 0004
Revises: 0003

Full-text search is the database's own: an FTS5 table kept in step with `comments` by triggers on
SQLite, a GIN index over to_tsvector('simple', text) on PostgreSQL (store/search.py queries both).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE comments_fts USING fts5(text, content='comments', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN"
    " INSERT INTO comments_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER comments_fts_update AFTER UPDATE OF text ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO comments_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO comments_fts(comments_fts) VALUES ('rebuild')",
]
POSTGRES_FTS = "CREATE INDEX ix_comments_text_fts ON comments USING gin (to_tsvector('simple', text))"


def upgrade() -> None:
    op.create_table(
        "author_standings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community", "author", name="uq_author_standings"),
    )
    with op.batch_alter_table("author_standings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_author_standings_author"), ["author"], unique=False)
    op.create_table(
        "word_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community", "kind", "word", name="uq_word_lists"),
    )
    with op.batch_alter_table("word_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_word_lists_community"), ["community"], unique=False)
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_reasons", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_comments_status_risk", ["status", "risk"], unique=False)
    # the server default only filled the existing rows; the model always writes the column
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.alter_column("policy_reasons", server_default=None)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(POSTGRES_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER comments_fts_{name}")
        op.execute("DROP TABLE comments_fts")
    else:
        op.execute("DROP INDEX ix_comments_text_fts")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_risk")
        batch_op.drop_column("policy_reasons")
    with op.batch_alter_table("word_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_word_lists_community"))
    op.drop_table("word_lists")
    with op.batch_alter_table("author_standings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_author_standings_author"))
    op.drop_table("author_standings")
