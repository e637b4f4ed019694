from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from threadguard.store.schema import ApiKey, User
from threadguard.store.users import (
    ROLE_SCOPES,
    UserError,
    authenticate,
    create_api_key,
    create_user,
    end_session,
    list_keys,
    list_users,
    revoke_api_key,
    set_password,
    start_session,
    user_for_key,
    user_for_session,
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


def test_keys_hold_only_their_scopes_within_their_owners_role(session: Session) -> None:
    mod = create_user(session, "mod", "correct horse", "moderator")
    admin = create_user(session, "root", "correct horse", "admin")
    site = create_api_key(session, mod, "site")
    full = create_api_key(session, admin, "ops", scopes=ROLE_SCOPES["admin"])
    with pytest.raises(UserError, match="cannot hold the admin scope"):
        create_api_key(session, mod, "sneaky", scopes=["admin"])
    with pytest.raises(UserError, match="unknown scope"):
        create_api_key(session, mod, "typo", scopes=["moderation"])
    assert user_for_key(session, site).scopes == {"analyze"}
    assert user_for_key(session, full).scopes == {"analyze", "ingest", "moderate", "admin"}
    # a key whose owner was demoted loses what the new role may not hold
    admin.role = "moderator"
    assert "admin" not in user_for_key(session, full).scopes


def test_key_use_is_recorded_and_listed(session: Session) -> None:
    mod = create_user(session, "mod", "correct horse", "moderator")
    key = create_api_key(session, mod, "site")
    assert list_keys(session)[0].last_used_at is None
    user_for_key(session, key)
    session.commit()
    (listed,) = list_keys(session, "mod")
    assert listed.last_used_at is not None and listed.scopes == ("analyze",) and listed.username == "mod"
    (summary,) = list_users(session)
    assert (summary.username, summary.active_keys) == ("mod", 1) and summary.last_used_at is not None
    revoke_api_key(session, listed.id, actor="admin")
    assert list_keys(session) == [] and len(list_keys(session, include_revoked=True)) == 1


def test_login_sessions_end_on_logout_expiry_and_password_change(session: Session) -> None:
    mod = create_user(session, "mod", "correct horse", "moderator")
    token = start_session(session, mod.id, timedelta(hours=1))
    other = start_session(session, mod.id, timedelta(hours=1))
    assert user_for_session(session, token).username == "mod"
    assert end_session(session, token) and user_for_session(session, token) is None
    assert user_for_session(session, other) is not None
    set_password(session, "mod", "a new long password")
    assert user_for_session(session, other) is None
    expired = start_session(session, mod.id, timedelta(seconds=-1))
    assert user_for_session(session, expired) is None
    assert user_for_session(session, "not-a-token") is None
