"""Creating accounts. Passwords are stored only as scrypt hashes."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash

from annotator.users.authentication import deactivate, set_password
from annotator.users.models import ROLES, User

MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    pass


def create_user(session: so.Session, username: str, password: str, role: str) -> User:
    username = username.strip()
    if not username or len(username) > 80:
        raise UserError("a username of 1 to 80 characters is required")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise UserError(f'a user named "{username}" already exists')
    user = User(username=username, role=role)
    set_password(user, password)
    session.add(user)
    session.flush()
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def reset_password(user: User, password: str) -> None:
    """A new password; the user's sessions end."""
    _check_password(password)
    set_password(user, password)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password first; every session of theirs ends."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("the current password is not right")
    reset_password(user, new)


def set_active(user: User, active: bool) -> None:
    """Deactivate (sessions and tokens stop working at once) or reactivate an account."""
    if active:
        user.active = True
    else:
        deactivate(user)


def all_users(session: so.Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.username)))
