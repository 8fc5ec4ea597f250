"""Reading a project's labels from the database into a LabelTable, in one pass.

The JSON fields are picked out by the database (SQLite's json_extract, PostgreSQL's ->>), and
times are read as stored, so that 300,000 label sets cost one query and a few array passes."""

from datetime import date, timedelta
from itertools import chain

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField
from annotator.agreement.table import NONE, LabelTable, categories_from_codes
from annotator.annotations.label_codes import CodesOfText
from annotator.db import raw_rows
from annotator.annotations.models import Annotation
from annotator.projects.models import Project
from annotator.review.models import Adjudication
from annotator.users.models import User

EPOCH = date(1970, 1, 1)


def load_label_table(session: so.Session, project: Project, fields: list[MeasuredField]) -> LabelTable:
    """Every current label set of the project, and its adjudications, as arrays."""
    sources = sorted({field.source for field in fields}, key=[f.source for f in fields].index)
    options = {field.source: field.categories for field in fields if not field.is_decision}
    dialect = session.connection().dialect.name
    query = (
        sa.select(Annotation.passage_id, Annotation.user_id, _day_number(dialect),
                  sa.func.coalesce(Annotation.seconds, -1.0), sa.cast(Annotation.labels, sa.Text))
        .where(Annotation.project_id == project.id)
    )
    rows, label_codes = _as_arrays(raw_rows(session, query, stream=True), CodesOfText([(name, options[name]) for name in sources]))
    codes = {name: label_codes[:, position] for position, name in enumerate(sources)}
    unit_ids, unit = np.unique(rows[:, 0].astype(np.int64), return_inverse=True)
    coder_ids, coder = np.unique(rows[:, 1].astype(np.int64), return_inverse=True)
    weeks, week = _weeks(rows[:, 2].astype(np.int64))
    spent = rows[:, 3].copy()
    spent[spent < 0] = np.nan
    return LabelTable(
        fields=fields, unit=unit.astype(np.int64), coder=coder.astype(np.int64),
        values={field.name: categories_from_codes(field, options[field.source], codes[field.source]) for field in fields},
        week=week, weeks=weeks, seconds=spent,
        unit_ids=unit_ids, coder_ids=[int(i) for i in coder_ids], coder_names=_names(session, coder_ids),
        adjudicated=_adjudicated(session, project, fields, unit_ids),
    )


def _as_arrays(rows, codes_of: CodesOfText) -> tuple[np.ndarray, np.ndarray]:
    """The rows' four numbers as one float array, filled as they come (a list of every row as
    Python tuples would take several times the array's memory), and their label sets' option
    codes: each row's JSON text becomes the number of its distinct text, decoded once."""
    distinct: dict[str, int] = {}
    numbers = np.fromiter(chain.from_iterable((row[0], row[1], row[2], row[3], distinct.setdefault(row[4], len(distinct)))
                                              for row in rows), dtype=np.float64).reshape(-1, 5)
    decoded = np.asarray([codes_of(text) for text in distinct], dtype=np.int64).reshape(len(distinct), codes_of.width)
    return numbers[:, :4], decoded[numbers[:, 4].astype(np.int64)]


def _day_number(dialect: str):
    """Days since 1970-01-01 of the label set's last change."""
    if dialect == "postgresql":
        return sa.cast(sa.func.floor(sa.extract("epoch", Annotation.updated_at) / 86400), sa.Integer)
    return sa.cast(sa.func.julianday(Annotation.updated_at) - 2440587.5, sa.Integer)


def _weeks(days: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The ISO week ("2026-W48") of each day number, as indices into the sorted list of weeks."""
    distinct, inverse = np.unique(days, return_inverse=True)
    labels = ["{}-W{:02d}".format(*(EPOCH + timedelta(days=int(day))).isocalendar()[:2]) for day in distinct]
    weeks = sorted(set(labels))
    return weeks, np.asarray([weeks.index(label) for label in labels], dtype=np.int64)[inverse].reshape(-1)


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
