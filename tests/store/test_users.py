from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store.schema import ApiKey, User
from threadguard.store.users import (
    UserError,
    authenticate,
    create_api_key,
    create_user,
    revoke_api_key,
    user_for_key,
)


def test_passwords_are_argon2_hashed_and_checked(session: Session) -> None:
    create_user(session, "mod", "correct horse", "moderator")
    session.commit()
    stored = session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert authenticate(session, "mod", "correct horse").username == "mod"
    assert authenticate(session, "mod", "wrong password") is None
    assert authenticate(session, "nobody", "correct horse") is None


def test_bad_users_are_refused(session: Session) -> None:
    create_user(session, "mod", "correct horse", "moderator")
    with pytest.raises(UserError, match="already exists"):
        create_user(session, "mod", "another one", "moderator")
    with pytest.raises(UserError, match="unknown role"):
        create_user(session, "x", "correct horse", "root")
    with pytest.raises(UserError, match="at least 8"):
        create_user(session, "y", "short", "admin")


def test_api_keys_are_stored_hashed_and_can_be_revoked(session: Session) -> None:
    user = create_user(session, "svc", "correct horse", "moderator")
    key = create_api_key(session, user, "site")
    session.commit()
    assert key not in {row.key_hash for row in session.scalars(select(ApiKey))}
    owner = user_for_key(session, key)
    assert (owner.username, owner.role) == ("svc", "moderator")
    assert user_for_key(session, key + "x") is None
    assert revoke_api_key(session, owner.key_id, actor="admin")
    session.commit()
    assert user_for_key(session, key) is None
