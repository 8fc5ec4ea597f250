"""Reading a project's labels from the database into a LabelTable, in one pass.

Label sets are read as their stored text without record answers (span and evidence fields,
which would make almost every label set distinct) and each distinct text is decoded once (a
project holds few), and times are read as stored, so that 300,000 label sets cost one query and
a few array passes. Spans are read as numbers from the rows stored beside each label set
(annotator/annotations/label_spans.py), their own answers again as distinct texts. Evidence
fields at passage level are rare: their answers are read from the label sets themselves."""

import gc
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import chain
from typing import NamedTuple

import numpy as np
import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import SET, MeasuredField
from annotator.agreement.spans import PassageCitations, SpanArrays, span_answers_of_arrays
from annotator.agreement.table import NONE, LabelTable
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation, LabelSpan
from annotator.db import raw_rows
from annotator.documents.models import Passage
from annotator.project_agreement.record_fields import RecordFields
from annotator.projects.models import Project
from annotator.users.models import User

EPOCH = date(1970, 1, 1)


def load_label_table(
    session: so.Session, project: Project, fields: list[MeasuredField], records: RecordFields | None = None
) -> LabelTable:
    """Every current label set of the project, and its adjudications, as arrays. A SET field's
    categories are the sets of options that occur. With `records`, also the answers of the
    schema's span and evidence fields: spans from their rows of numbers (LabelSpan), evidence
    from the label sets."""
    with _collector_paused():  # until the decoded records are freed, at the end of the block
        rows, texts = _read_rows(session, project)
        fields = _with_observed_sets(fields, texts)
        codes_of = CodesOfText(fields)
        distinct_codes = np.asarray([codes_of(text) for text in texts], dtype=np.int64)
        codes, numbers = distinct_codes.reshape(len(texts), len(fields))[rows[:, 4].astype(np.int64)], rows[:, :4]
        unit_ids, unit = np.unique(numbers[:, 0].astype(np.int64), return_inverse=True)
        coder_ids, coder = np.unique(numbers[:, 1].astype(np.int64), return_inverse=True)
        coder_names = _names(session, coder_ids)
        read = _Rows(unit_ids, unit, coder_ids, coder, coder_names, texts, rows[:, 4].astype(np.int64))
        spans, evidence = _record_answers(session, project, records, read) if records else ({}, {})
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
        coder_names=coder_names,
        adjudicated=_adjudicated(session, project, fields, unit_ids),
        spans=spans,
        evidence=evidence,
    )


def _read_rows(session, project: Project) -> tuple[np.ndarray, list]:
    """Per label set (one query, streamed): passage id, user id, day number, seconds and the
    number of its distinct text without record answers; the distinct texts."""
    dialect = session.connection().dialect.name
    query = sa.select(
        Annotation.passage_id,
        Annotation.user_id,
        _day_number(dialect),
        sa.func.coalesce(Annotation.seconds, -1.0),
        sa.cast(Annotation.labels_without_records, sa.Text),
    ).where(Annotation.project_id == project.id)
    return _as_arrays(raw_rows(session, query, stream=True))


class _Rows(NamedTuple):
    """What the record fields are read against: per label set its passage (`unit`, an index
    into `unit_ids`), coder (into `coder_ids`) and distinct text without record answers
    (`text_of_row`, into `texts`)."""

    unit_ids: np.ndarray
    unit: np.ndarray
    coder_ids: np.ndarray
    coder: np.ndarray
    coder_names: list[str]
    texts: list[str]
    text_of_row: np.ndarray

    def of(self, passage_ids: np.ndarray, user_ids: np.ndarray) -> np.ndarray:
        """The label set (row) of each (passage id, user id) pair, each one of the project's."""
        keys = self.unit * len(self.coder_ids) + self.coder
        order = np.argsort(keys)
        wanted = np.searchsorted(self.unit_ids, passage_ids) * len(self.coder_ids)
        wanted += np.searchsorted(self.coder_ids, user_ids)
        return order[np.searchsorted(keys[order], wanted)]


def _record_answers(session, project: Project, records: RecordFields, rows: _Rows):
    """Per span field (the field, its answers) and per evidence field (the field, the label
    sets' citations)."""
    spans = {}
    if records.spans:
        bounds = _passage_bounds(session, project, rows.unit_ids)
        spans = {field.name: _span_field(session, project, records, field, rows, bounds) for field in records.spans}
    evidence = {}
    if records.evidence:
        values = _evidence_values(session, project, [field.name for field in records.evidence], rows)
        evidence = {
            field.name: (field, PassageCitations.of(rows.unit, rows.coder, field_values))
            for field, field_values in zip(records.evidence, values, strict=True)
        }
    return spans, evidence


def _span_field(session, project: Project, records: RecordFields, field, rows: _Rows, bounds):
    """The span field (its SET sub-fields given their categories) and its answers: the label
    sets it was asked in, and their spans in order (of label set, then of position)."""
    asked = _asked_rows(records, field.name, rows)
    answer_of_row = np.cumsum(asked) - 1
    row, position, start, end, label, labels = _spans(session, project, field.name, rows)
    kept = asked[row]
    answer = answer_of_row[row[kept]]
    order = np.lexsort((position[kept], answer))
    answers, measured = span_answers_of_arrays(
        *bounds,
        rows.unit[asked],
        rows.coder[asked],
        SpanArrays(answer[order], start[kept][order], end[kept][order]),
        (labels, label[kept][order]),
        rows.coder_names,
        field,
    )
    return measured, answers


def _spans(session, project: Project, name: str, rows: _Rows):
    """The span field's spans, as stored beside their label sets: per span its label set (row),
    position among the field's spans there, start, end and the number of its distinct own
    answers; the distinct own answers, decoded."""
    query = sa.select(
        LabelSpan.passage_id,
        LabelSpan.user_id,
        LabelSpan.position,
        LabelSpan.start,
        LabelSpan.end,
        sa.cast(LabelSpan.labels, sa.Text),
    ).where(LabelSpan.project_id == project.id, LabelSpan.field == name)
    distinct: dict = {}
    numbers = (
        (one[0], one[1], one[2], one[3], one[4], distinct.setdefault(one[5], len(distinct)))
        for one in raw_rows(session, query, stream=True)
    )
    spans = np.fromiter(chain.from_iterable(numbers), dtype=np.int64).reshape(-1, 6)
    row = rows.of(spans[:, 0], spans[:, 1])
    return row, spans[:, 2], spans[:, 3], spans[:, 4], spans[:, 5], [orjson.loads(text) for text in distinct]


def _evidence_values(session, project: Project, names: list[str], rows: _Rows) -> list[list]:
    """Per evidence field, each label set's answer (evidence is rare: read from the label sets)."""
    query = sa.select(Annotation.passage_id, Annotation.user_id, sa.cast(Annotation.labels, sa.Text)).where(
        Annotation.project_id == project.id
    )
    passages, users, answers = [], [], []
    for passage_id, user_id, text in raw_rows(session, query, stream=True):
        labels = orjson.loads(text)
        passages.append(passage_id)
        users.append(user_id)
        answers.append([labels.get(name) for name in names])
    values = [[None] * len(rows.unit) for _ in names]
    for row, answer in zip(rows.of(np.asarray(passages), np.asarray(users)).tolist(), answers, strict=True):
        for field_values, value in zip(values, answer, strict=True):
            field_values[row] = value
    return values


def _asked_rows(records: RecordFields, name: str, rows: _Rows) -> np.ndarray:
    """Which label sets the field was asked in (for a span field: whose annotator segmented the
    passage, perhaps marking nothing), decided once per distinct rest of the label set."""
    if not records.conditional(name):
        return np.ones(len(rows.unit), dtype=bool)
    asked = np.array([records.asked(name, orjson.loads(text)) for text in rows.texts], dtype=bool)
    return asked[rows.text_of_row]


def _passage_bounds(session, project: Project, unit_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The raw-text start and end of each unit's passage."""
    query = sa.select(Passage.id, Passage.start, Passage.end).where(Passage.project_id == project.id)
    bounds = np.array(raw_rows(session, query), dtype=np.int64).reshape(-1, 3)
    bounds = bounds[np.argsort(bounds[:, 0])]
    positions = np.searchsorted(bounds[:, 0], unit_ids)
    return bounds[positions, 1], bounds[positions, 2]


@contextmanager
def _collector_paused():
    """Decoding many small JSON values makes many objects, none in a reference cycle; the
    allocations would set off the cyclic garbage collector again and again. They are read into
    arrays and freed before it runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _as_arrays(rows) -> tuple[np.ndarray, list]:
    """The rows' four numbers and the number of their label set's distinct text, as one array
    filled as they come (a list of every row as Python tuples would take several times the
    array's memory), and the distinct texts."""
    distinct: dict = {}
    numbers = ((row[0], row[1], row[2], row[3], distinct.setdefault(row[4], len(distinct))) for row in rows)
    return np.fromiter(chain.from_iterable(numbers), dtype=np.float64).reshape(-1, 5), list(distinct)


def _with_observed_sets(fields: list[MeasuredField], texts: list[str | bytes]) -> list[MeasuredField]:
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
