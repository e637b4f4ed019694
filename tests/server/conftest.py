"""The service tests' fixtures (a loaded model, fresh databases of each kind)."""

from tests.service.conftest import db_url, postgres_db, scorer, texts

__all__ = ["db_url", "postgres_db", "scorer", "texts"]
