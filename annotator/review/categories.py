"""How many decisions fall under each disagreement category: the questions the next version of
the guidelines can answer (shown on the agreement page)."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import DISAGREEMENT_CATEGORIES, Adjudication
from annotator.projects.models import Project

NOT_GIVEN = "not given"


@dataclass(frozen=True)
class CategoryCount:
    category: str | None  # of DISAGREEMENT_CATEGORIES; None: decisions without one
    words: str
    decisions: int


def category_counts(session: so.Session, project: Project) -> list[CategoryCount]:
    """Every category with its count of the project's current decisions (zero included), in the
    categories' order, then the decisions that have none."""
    counted = dict(
        session.execute(
            sa.select(Adjudication.category, sa.func.count())
            .where(Adjudication.project_id == project.id)
            .group_by(Adjudication.category)
        ).all()
    )
    return [
        CategoryCount(category, words, counted.get(category, 0))
        for category, words in [*DISAGREEMENT_CATEGORIES.items(), (None, NOT_GIVEN)]
    ]
