"""Reading a project's labels from the database into a LabelTable, in one pass.

The JSON fields are picked out by the database (SQLite's json_extract, PostgreSQL's ->>), and
times are read as stored, so that 300,000 label sets cost one query and a few array passes."""

from datetime import date

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField
from annotator.agreement.table import NONE, LabelTable, categories_of
from annotator.annotations.models import Annotation
from annotator.projects.models import Project
from annotator.review.models import Adjudication
from annotator.users.models import User


def load_label_table(session: so.Session, project: Project, fields: list[MeasuredField]) -> LabelTable:
    """Every current label set of the project, and its adjudications, as arrays."""
    sources = sorted({field.source for field in fields})
    query = (
        sa.select(Annotation.passage_id, Annotation.user_id, sa.type_coerce(Annotation.updated_at, sa.String),
                  Annotation.seconds, *(Annotation.labels[name].as_string() for name in sources))
        .where(Annotation.project_id == project.id).order_by(Annotation.id)
    )
    columns = list(zip(*session.connection().execute(query).all())) or [()] * (4 + len(sources))
    passage_ids, user_ids, changed, seconds = columns[:4]
    texts = dict(zip(sources, columns[4:]))
    unit_ids, unit = np.unique(np.asarray(passage_ids, dtype=np.int64), return_inverse=True)
    coder_ids, coder = np.unique(np.asarray(user_ids, dtype=np.int64), return_inverse=True)
    weeks, week = _weeks(changed)
    return LabelTable(
        fields=fields, unit=unit.astype(np.int64), coder=coder.astype(np.int64),
        values={field.name: categories_of(field, texts[field.source]) for field in fields},
        week=week, weeks=weeks,
        seconds=np.array([np.nan if value is None else value for value in seconds], dtype=float),
        unit_ids=unit_ids, coder_ids=[int(i) for i in coder_ids], coder_names=_names(session, coder_ids),
        adjudicated=_adjudicated(session, project, fields, unit_ids),
    )


def _weeks(changed) -> tuple[list[str], np.ndarray]:
    """The ISO week ("2026-W48") of each time, as indices into the sorted list of weeks."""
    week_of_day: dict[str, str] = {}
    labels = []
    for moment in changed:
        day = moment[:10] if isinstance(moment, str) else moment.date().isoformat()
        if day not in week_of_day:
            year, number, _ = date.fromisoformat(day).isocalendar()
            week_of_day[day] = f"{year}-W{number:02d}"
        labels.append(week_of_day[day])
    weeks, index = np.unique(np.asarray(labels, dtype=object), return_inverse=True) if labels else ([], np.zeros(0))
    return [str(week) for week in weeks], np.asarray(index, dtype=np.int64)


def _names(session, coder_ids: np.ndarray) -> list[str]:
    names = dict(session.execute(sa.select(User.id, User.username).where(User.id.in_([int(i) for i in coder_ids]))).all())
    return [names[int(i)] for i in coder_ids]


def _adjudicated(session, project: Project, fields: list[MeasuredField], unit_ids: np.ndarray) -> dict[str, np.ndarray]:
    decided = {field.name: np.full(len(unit_ids), NONE, dtype=np.int64) for field in fields}
    rows = session.execute(sa.select(Adjudication.passage_id, Adjudication.labels).where(Adjudication.project_id == project.id)).all()
    if not rows:
        return decided
    positions = np.searchsorted(unit_ids, [passage_id for passage_id, _ in rows])
    for position, (passage_id, labels) in zip(positions, rows):
        if position < len(unit_ids) and unit_ids[position] == passage_id:
            for field in fields:
                category = field.category_of(labels)
                if category is not None:
                    decided[field.name][position] = category
    return decided
