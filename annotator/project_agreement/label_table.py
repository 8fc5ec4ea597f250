"""Reading a project's labels from the database into a LabelTable, in one pass.

Label sets are read as their stored text and each distinct text is decoded once (a project
holds few distinct label sets), and times are read as stored, so that 300,000 label sets cost
one query and a few array passes."""

from datetime import date, timedelta
from itertools import chain

import numpy as np
import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import SET, MeasuredField
from annotator.agreement.table import NONE, LabelTable
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation
from annotator.db import raw_rows
from annotator.projects.models import Project
from annotator.users.models import User

EPOCH = date(1970, 1, 1)


def load_label_table(session: so.Session, project: Project, fields: list[MeasuredField]) -> LabelTable:
    """Every current label set of the project, and its adjudications, as arrays. A SET field's
    categories are the sets of options that occur."""
    dialect = session.connection().dialect.name
    query = sa.select(
        Annotation.passage_id,
        Annotation.user_id,
        _day_number(dialect),
        sa.func.coalesce(Annotation.seconds, -1.0),
        sa.cast(Annotation.labels, sa.Text),
    ).where(Annotation.project_id == project.id)
    rows, texts = _as_arrays(raw_rows(session, query, stream=True))
    fields = _with_observed_sets(fields, texts)
    codes_of = CodesOfText(fields)
    distinct_codes = np.asarray([codes_of(text) for text in texts], dtype=np.int64).reshape(len(texts), len(fields))
    codes, numbers = distinct_codes[rows[:, 4].astype(np.int64)], rows[:, :4]
    unit_ids, unit = np.unique(numbers[:, 0].astype(np.int64), return_inverse=True)
    coder_ids, coder = np.unique(numbers[:, 1].astype(np.int64), return_inverse=True)
    weeks, week = _weeks(numbers[:, 2].astype(np.int64))
    spent = numbers[:, 3].copy()
    spent[spent < 0] = np.nan
    return LabelTable(
        fields=fields,
        unit=unit.astype(np.int64),
        coder=coder.astype(np.int64),
        values={field.name: codes[:, position] for position, field in enumerate(fields)},
        week=week,
        weeks=weeks,
        seconds=spent,
        unit_ids=unit_ids,
        coder_ids=[int(i) for i in coder_ids],
        coder_names=_names(session, coder_ids),
        adjudicated=_adjudicated(session, project, fields, unit_ids),
    )


def _as_arrays(rows) -> tuple[np.ndarray, list[str]]:
    """The rows' four numbers and the number of their label set's distinct text, as one array
    filled as they come (a list of every row as Python tuples would take several times the
    array's memory), and the distinct texts."""
    distinct: dict[str, int] = {}
    numbers = np.fromiter(
        chain.from_iterable(
            (row[0], row[1], row[2], row[3], distinct.setdefault(row[4], len(distinct))) for row in rows
        ),
        dtype=np.float64,
    ).reshape(-1, 5)
    return numbers, list(distinct)


def _with_observed_sets(fields: list[MeasuredField], texts: list[str]) -> list[MeasuredField]:
    """The fields, each SET field given the sets of options the label sets hold as categories."""
    sets = [field for field in fields if field.kind == SET]
    if not sets:
        return fields
    decoded = [orjson.loads(text) for text in texts]
    observed = {
        field.name: sorted(
            {value for labels in decoded if (value := field.value_of(labels)) is not None},
            key=lambda chosen: (len(chosen), chosen),
        )
        for field in sets
    }
    return [field.with_categories(observed[field.name]) if field.kind == SET else field for field in fields]


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
    names = dict(
        session.execute(sa.select(User.id, User.username).where(User.id.in_([int(i) for i in coder_ids]))).all()
    )
    return [names[int(i)] for i in coder_ids]


def _adjudicated(session, project: Project, fields: list[MeasuredField], unit_ids: np.ndarray) -> dict[str, np.ndarray]:
    decided = {field.name: np.full(len(unit_ids), NONE, dtype=np.int64) for field in fields}
    rows = session.execute(
        sa.select(Adjudication.passage_id, Adjudication.labels).where(Adjudication.project_id == project.id)
    ).all()
    if not rows:
        return decided
    positions = np.searchsorted(unit_ids, [passage_id for passage_id, _ in rows])
    for position, (passage_id, labels) in zip(positions, rows, strict=True):
        if position < len(unit_ids) and unit_ids[position] == passage_id:
            for field in fields:
                category = field.category_of(labels)
                if category is not None:
                    decided[field.name][position] = category
    return decided
