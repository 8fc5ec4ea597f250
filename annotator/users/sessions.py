"""Signed-in sessions, kept on the server. A browser is signed in while its session's row exists,
has been used within the idle time and began within the lifetime; the cookie only names the
row (by a random key whose hash is stored), so a copied cookie stops working as soon as the
row goes: at sign-out, a password change or reset, deactivation, or expiry."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.users.models import User, UserSession

# Last-seen is written at most this often per session: a write on every request would cost
# more than the minute of precision it adds to the idle time.
SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta  # a session not used for longer ends
    lifetime: timedelta  # a session ends this long after signing in, however busy

    @classmethod
    def of(cls, config) -> "SessionLimits":
        return cls(
            idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            lifetime=timedelta(hours=config["SESSION_LIFETIME_HOURS"]),
        )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: so.Session, user: User, limits: SessionLimits, now: datetime) -> str:
    """A new session for the user; returns its key (also set as `user.session_key`), which only
    the cookie holds. Sessions past their lifetime, anyone's, are deleted on the way, so the
    table holds no more than the sessions begun within one lifetime."""
    session.execute(sa.delete(UserSession).where(UserSession.created_at < now - limits.lifetime))
    key = secrets.token_urlsafe(32)
    session.add(UserSession(key_hash=_digest(key), user_id=user.id, created_at=now, last_seen_at=now))
    session.flush()
    user.session_key = key
    return key


_SESSION_AND_USER = (
    sa.select(User, UserSession)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.key_hash == sa.bindparam("digest"))
)


def find_session(
    session: so.Session, key: str, limits: SessionLimits, now: datetime
) -> tuple[User, UserSession] | None:
    """The active user and their session with this key, or None when it has ended: signed out,
    unused for longer than the idle time, begun longer than the lifetime ago."""
    row = session.execute(_SESSION_AND_USER, {"digest": _digest(key)}).first()
    if row is None or not row.User.active or _ended(row.UserSession, limits, now):
        return None
    row.User.session_key = key
    return row.User, row.UserSession


def _ended(user_session: UserSession, limits: SessionLimits, now: datetime) -> bool:
    return now - user_session.last_seen_at > limits.idle or now - user_session.created_at > limits.lifetime


def activity_due(user_session: UserSession, now: datetime) -> bool:
    """Whether the session's last-seen time is SEEN_EVERY old, or more: time to write it again."""
    return now - user_session.last_seen_at >= SEEN_EVERY


def note_activity(session: so.Session, user_session: UserSession, now: datetime) -> bool:
    """Move the session's last-seen time to now, unless that was done less than SEEN_EVERY ago;
    True when it was written. The row is written by its id, in `session`, which need not be the
    one `user_session` was read in (the caller commits)."""
    if not activity_due(user_session, now):
        return False
    session.execute(sa.update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now))
    return True


def end_session(session: so.Session, key: str) -> None:
    """Sign-out: the session with this key ends."""
    session.execute(sa.delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_sessions_of(session: so.Session, user: User) -> None:
    """Every session of the user ends, in every browser."""
    session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
