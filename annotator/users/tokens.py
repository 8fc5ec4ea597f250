"""API tokens: created once (the plain token is shown only then), revoked, looked up by hash."""

import hashlib
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.domain_errors import NotFound
from annotator.users.models import ApiToken, User

PREFIX = "ann_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: so.Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; returns the record and the plain token (not stored)."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.replace("\x00", "")[:80], token_hash=_digest(plain))
    session.add(token)
    session.flush()
    return token, plain


class NoSuchToken(NotFound):
    """No token by that id among the user's own."""


def own_token(session: so.Session, user: User, token_id: int) -> ApiToken:
    """One of the user's tokens (another user's token is not there for them)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NoSuchToken(f"token {token_id} not found among yours")
    return token


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or utcnow()


def revoke_tokens_of(session: so.Session, user: User) -> None:
    """Every live token of the user is revoked, for good: reactivating the user later does not
    bring them back."""
    session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


_USER_FOR_DIGEST = (
    sa.select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("digest"), ApiToken.revoked_at.is_(None), User.active.is_(True))
)


def user_for_token(session: so.Session, plain: str) -> User | None:
    """The active user a live token belongs to, or None (looked up on every request: a
    revoked token or a deactivated user is refused at once)."""
    if not plain.startswith(PREFIX):
        return None
    return session.scalar(_USER_FOR_DIGEST, {"digest": _digest(plain)})


def tokens_of(session: so.Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (for the record)."""
    return list(session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))
