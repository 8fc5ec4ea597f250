"""An annotator's own labels in a project, for going back and changing them."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation


def own_annotation(session: so.Session, passage_id: int, user_id: int) -> Annotation | None:
    return session.scalar(
        sa.select(Annotation).where(Annotation.passage_id == passage_id, Annotation.user_id == user_id)
    )


def previous_labelled(
    session: so.Session, project_id: int, user_id: int, before: Annotation | None = None
) -> int | None:
    """The passage the annotator labelled just before `before` (their latest when None), in
    the order they first labelled them; None at the start."""
    query = sa.select(Annotation.passage_id).where(Annotation.project_id == project_id, Annotation.user_id == user_id)
    if before is not None:
        query = query.where(Annotation.id < before.id)
    return session.scalar(query.order_by(Annotation.id.desc()).limit(1))
