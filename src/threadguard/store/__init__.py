"""The moderation store: SQLAlchemy schema, Alembic migrations and the functions that read and write it.

SQLite (WAL) by default, PostgreSQL by URL. Every function takes a Session and leaves the commit to the
caller, so that a change and its audit entry always commit together.
"""
