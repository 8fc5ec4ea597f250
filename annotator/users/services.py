"""Creating accounts. Passwords are stored only as scrypt hashes."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash

from annotator.domain_errors import Invalid
from annotator.users.authentication import deactivate, hash_password, set_password, unusable_password_hash
from annotator.users.models import ROLES, User
from annotator.users.passwords import password_problem


class UserError(Invalid):
    """An account or password refused."""


def create_user(session: so.Session, username: str, password: str | None, role: str) -> User:
    """A new account; with no password (None), nobody can sign in to it until an admin sets one."""
    username = username.strip()
    if not username or len(username) > 80:
        raise UserError("a username of 1 to 80 characters is required")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if password is not None:
        _check_password(password, username)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise UserError(f'a user named "{username}" already exists')
    user = User(
        username=username,
        role=role,
        password_hash=unusable_password_hash() if password is None else hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _check_password(password: str, username: str) -> None:
    if (problem := password_problem(password, username)) is not None:
        raise UserError(problem)


def reset_password(session: so.Session, user: User, password: str) -> None:
    """A new password; the user's sessions end and their API tokens are revoked."""
    _check_password(password, user.username)
    set_password(session, user, password)


def change_password(session: so.Session, user: User, current: str, new: str) -> None:
    """The user's own change: the current password first; every session of theirs ends (the
    caller starts a new one for the browser that made the change) and their tokens are revoked."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("the current password is not right")
    reset_password(session, user, new)


def set_active(session: so.Session, user: User, active: bool) -> None:
    """Deactivate (sessions end and tokens are revoked at once) or reactivate an account (with
    no session or token: the user signs in again and makes new tokens)."""
    if active:
        user.active = True
    else:
        deactivate(session, user)


def all_users(session: so.Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.username)))
