"""The names an export gives the people in it: their usernames, or stable pseudonyms."""

from collections.abc import Iterable

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.users.models import User


def usernames(session: so.Session) -> dict[int, str]:
    return dict(session.execute(sa.select(User.id, User.username)).all())


def anonymous_names(user_ids: Iterable[int]) -> dict[int, str]:
    """Stable pseudonyms ("annotator-1", ...) in the order of the accounts' ids."""
    return {user_id: f"annotator-{number}" for number, user_id in enumerate(sorted(set(user_ids)), start=1)}
