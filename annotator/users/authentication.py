"""Signing in (a password checked; attempts are counted first, see throttling.py) and what ends
access to an account: a new password, deactivation."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.users.models import User
from annotator.users.sessions import end_sessions_of
from annotator.users.throttling import record_success
from annotator.users.tokens import revoke_tokens_of

# Werkzeug's scrypt with its default cost (N=2^15, r=8, p=1: 32 MiB and a tenth of a second
# a hash). A setting, so that tests can hash cheaply; a hash made with any method verifies,
# as the method and its cost are part of the stored hash.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt:32768:8:1"


def password_hash_method() -> str:
    """The method new hashes are made with: the PASSWORD_HASH_METHOD setting, else the default."""
    configured = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
    return configured or DEFAULT_PASSWORD_HASH_METHOD


@cache
def _unknown_user_hash(method: str) -> str:
    """Checked against when the username is unknown, so that a miss takes as long as a wrong
    password (made on first use: scrypt costs a tenth of a second at every start otherwise)."""
    return generate_password_hash("no such user", method=method)


class LoginRefused(Exception):
    """A wrong username or password, or a deactivated account (not told apart)."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    address: str  # as throttling counts it (throttling.network_of)


def authenticate(session: so.Session, credentials: Credentials, now: datetime) -> User:
    """The active user with these credentials, once the attempt was counted (throttling.
    claim_attempt); a success is recorded for the throttle. Raises LoginRefused."""
    username = credentials.username.strip()
    user = session.scalar(sa.select(User).where(User.username == username))
    valid = check_password_hash(
        user.password_hash if user else _unknown_user_hash(password_hash_method()), credentials.password
    )
    if not (user and valid and user.active):
        raise LoginRefused("Wrong username or password, or the account is deactivated.")
    record_success(session, username, credentials.address, now)
    return user


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=password_hash_method())


def unusable_password_hash() -> str:
    """The hash of a random password nobody knows: the account has no password until one is set."""
    return hash_password(secrets.token_urlsafe(32))


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
