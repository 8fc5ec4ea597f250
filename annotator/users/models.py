"""Accounts, their signed-in sessions and API tokens, and sign-in throttling. Roles decide what a
user may see and do across the application."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

ROLES = ("admin", "reviewer", "annotator")


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    # The key of the browser session this object was loaded for or signed in with (never
    # stored: the database keeps only its hash, in UserSession); what Flask-Login keeps in
    # the session cookie.
    session_key = None

    # Flask-Login's user protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_key

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserSession(db.Model):
    """A signed-in browser. Its cookie carries a random key; only the key's hash is stored, so
    that a copy of the database opens no session. Signing out, a password change or reset and
    deactivation delete the row, which ends the session wherever its cookie was copied to."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(
        index=True
    )  # the absolute lifetime, and the purge, count from it
    last_seen_at: so.Mapped[datetime]


class LoginThrottle(db.Model):
    """How sign-in attempts under one key are slowed down (see annotator/users/throttling.py): a
    username at one network address, or a username from every address it has not signed in
    from (`address` is then ANY_ADDRESS)."""

    __table_args__ = (sa.UniqueConstraint("username", "address"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(80))
    address: so.Mapped[str] = so.mapped_column(sa.String(64))
    failures: so.Mapped[int] = so.mapped_column(default=0)  # attempts since the last success
    next_attempt_at: so.Mapped[datetime]  # no attempt under this key is checked before then
    last_success_at: so.Mapped[datetime | None]  # at this address: the address is known for the account
    updated_at: so.Mapped[datetime] = so.mapped_column(index=True)  # the last attempt; rows long unused are purged


class ApiToken(db.Model):
    """A per-user token for scripts (`Authorization: Bearer ...`); only its hash is stored."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), default="")
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    revoked_at: so.Mapped[datetime | None]
