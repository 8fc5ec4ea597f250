"""Checking passwords, with failed attempts limited per account and per network address."""

import secrets
from dataclasses import dataclass
from functools import cache
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.clock import utcnow
from annotator.users.models import LoginAttempt, User
from annotator.users.sessions import end_sessions_of
from annotator.users.tokens import revoke_tokens_of

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
@cache
def _unknown_user_hash() -> str:
    """Checked against when the username is unknown, so that a miss takes as long as a wrong
    password (made on first use: scrypt costs a tenth of a second at every start otherwise)."""
    return hash_password("no such user")


class LoginRefused(Exception):
    """A refused login; `throttled` when too many attempts failed recently."""

    def __init__(self, message: str, throttled: bool = False):
        super().__init__(message)
        self.throttled = throttled


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    address: str


def authenticate(session: so.Session, credentials: Credentials) -> User:
    """The active user with these credentials; records the attempt. Raises LoginRefused."""
    username = credentials.username.strip()
    if _too_many_failures(session, username, credentials.address):
        raise LoginRefused(f"Too many failed attempts. Try again in {int(WINDOW.total_seconds() // 60)} minutes.", throttled=True)
    user = session.scalar(sa.select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash if user else _unknown_user_hash(), credentials.password)
    succeeded = bool(user and valid and user.active)
    session.add(LoginAttempt(username=username[:80], address=credentials.address[:64], succeeded=succeeded))
    session.flush()
    if not succeeded:
        raise LoginRefused("Wrong username or password, or the account is deactivated.")
    return user


def _too_many_failures(session: so.Session, username: str, address: str) -> bool:
    since = utcnow() - WINDOW
    failures = sa.select(sa.func.count(LoginAttempt.id)).where(LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    by_account = session.scalar(failures.where(LoginAttempt.username == username))
    by_address = session.scalar(failures.where(LoginAttempt.address == address))
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def unusable_password_hash() -> str:
    """The hash of a random password nobody knows: the account has no password until one is set."""
    return hash_password(secrets.token_urlsafe(32))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def set_password(session: so.Session, user: User, password: str) -> None:
    """A new password; whoever had the old one loses every way in it gave (see `end_access`)."""
    user.password_hash = hash_password(password)
    end_access(session, user)


def deactivate(session: so.Session, user: User) -> None:
    user.active = False
    end_access(session, user)


def end_access(session: so.Session, user: User) -> None:
    """Every way into the account but the password ends: each signed-in session, in every
    browser, and each API token (revoked for good, so that reactivating the account does not
    bring them back)."""
    end_sessions_of(session, user)
    revoke_tokens_of(session, user)
