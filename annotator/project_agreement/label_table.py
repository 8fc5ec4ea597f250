"""Reading a project's labels from the database into a LabelTable, in one pass.

Label sets are read in the form stored beside them for agreement (annotator/annotations/
agreement_form.py: the label set with its spans reduced to their own answers, and the spans'
offsets as a list of numbers). Each distinct text is decoded once (a project holds few, as long
as spans' offsets are apart), and times are read as stored, so that 300,000 label sets cost one
query and a few array passes. The spans' offsets are one list of numbers, decoded at once."""

import gc
from contextlib import contextmanager
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import orjson
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import SET, MeasuredField
from annotator.agreement.spans import PassageCitations, SpanArrays, span_answers_of_arrays
from annotator.agreement.table import NONE, LabelTable
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.agreement_form import SPANS
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation
from annotator.db import raw_batches, raw_rows
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
    schema's span and evidence fields, from the same rows."""
    with _collector_paused():  # until the decoded records are freed, at the end of the block
        rows, texts, offsets = _read_rows(session, project)
        fields = _with_observed_sets(fields, texts)
        codes_of = CodesOfText(fields)
        distinct_codes = np.asarray([codes_of(text) for text in texts], dtype=np.int64)
        codes, numbers = distinct_codes.reshape(len(texts), len(fields))[rows[:, 4].astype(np.int64)], rows[:, :4]
        unit_ids, unit = np.unique(numbers[:, 0].astype(np.int64), return_inverse=True)
        coder_ids, coder = np.unique(numbers[:, 1].astype(np.int64), return_inverse=True)
        coder_names = _names(session, coder_ids)
        read = _Rows(
            unit_ids, unit, coder, coder_names, [orjson.loads(text) for text in texts], rows[:, 4].astype(np.int64)
        )
        spans, evidence = _record_answers(session, project, records, read, offsets) if records else ({}, {})
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


def _read_rows(session, project: Project) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Per label set (one query, streamed): passage id, user id, day number, seconds and the
    number of its distinct text (its agreement form); the distinct texts; every span's start
    and end, label set after label set."""
    dialect = session.connection().dialect.name
    query = sa.select(
        Annotation.passage_id,
        Annotation.user_id,
        _day_number(dialect),
        sa.func.coalesce(Annotation.seconds, -1.0),
        sa.cast(Annotation.agreement_labels, sa.Text),
        Annotation.span_offsets,
    ).where(*_in_project(dialect, project))
    rows, texts, offsets = _as_arrays(raw_batches(session, query))
    numbers = orjson.loads("[" + ",".join(filter(None, offsets)) + "]")
    return rows, texts, np.asarray(numbers, dtype=np.int64).reshape(-1, 2)


def _in_project(dialect: str, project: Project) -> list:
    """The project's label sets. SQLite would walk the (project, user) index and fetch the
    rows user by user, reading every page of the table once per annotator; it reads them in
    storage order instead, between the project's first and last label set (`project_id + 0`
    keeps it off that index), which costs at most one pass over the table."""
    if dialect != "sqlite":
        return [Annotation.project_id == project.id]
    inner = so.aliased(Annotation)
    first, last = (
        sa.select(bound(inner.id)).where(inner.project_id == project.id).scalar_subquery()
        for bound in (sa.func.min, sa.func.max)
    )
    return [Annotation.id.between(first, last), Annotation.project_id + 0 == project.id]


class _Rows(NamedTuple):
    """What the record fields are read against: per label set its passage (`unit`, an index
    into `unit_ids`), coder and distinct agreement form (`text_of_row`, into `decoded`)."""

    unit_ids: np.ndarray
    unit: np.ndarray
    coder: np.ndarray
    coder_names: list[str]
    decoded: list[dict]
    text_of_row: np.ndarray


def _record_answers(session, project: Project, records: RecordFields, rows: _Rows, offsets: np.ndarray):
    """Per span field (the field, its answers) and per evidence field (the field, the label
    sets' citations)."""
    spans = {}
    if records.spans:
        bounds = _passage_bounds(session, project, rows.unit_ids)
        first = _first_span_of_rows(rows)
        spans = {field.name: _span_field(records, field, rows, bounds, offsets, first) for field in records.spans}
    evidence = {
        field.name: (field, PassageCitations.of(rows.unit, rows.coder, _values_of_rows(rows, field.name)))
        for field in records.evidence
    }
    return spans, evidence


def _first_span_of_rows(rows: _Rows) -> np.ndarray:
    """Per label set, where its spans start among all spans (offsets pairs), label set after label set."""
    counts = np.array([sum(map(len, labels.get(SPANS, {}).values())) for labels in rows.decoded], dtype=np.int64)
    per_row = counts[rows.text_of_row]
    return np.cumsum(per_row) - per_row


def _span_field(records: RecordFields, field, rows: _Rows, bounds, offsets: np.ndarray, first: np.ndarray):
    """The span field (its SET sub-fields given their categories) and its answers: the label
    sets it was asked in, and their spans in order (of label set, then of position)."""
    asked = _asked_rows(records, field.name, rows)
    answered = np.flatnonzero(asked)
    layouts = [_layout(labels.get(SPANS, {}), field.name) for labels in rows.decoded]
    own = [answers for _, answers in layouts]  # per distinct form, the field's spans' own answers
    own_count = np.array([len(answers) for answers in own], dtype=np.int64)
    own_start = np.cumsum(own_count) - own_count
    form = rows.text_of_row[answered]
    count = own_count[form]
    answer = np.repeat(np.arange(len(answered)), count)  # each span's label set, among those asked
    within = np.arange(len(answer)) - np.repeat(np.cumsum(count) - count, count)  # its position there
    before = np.array([spans_before for spans_before, _ in layouts], dtype=np.int64)[form]
    span = (first[answered] + before)[answer] + within
    answers, measured = span_answers_of_arrays(
        *bounds,
        rows.unit[asked],
        rows.coder[asked],
        SpanArrays(answer, offsets[span, 0], offsets[span, 1]),
        ([one for answers in own for one in answers], own_start[form][answer] + within),
        rows.coder_names,
        field,
    )
    return measured, answers


def _layout(spans: dict, name: str) -> tuple[int, list]:
    """In one agreement form: the number of spans (of other fields) before the field's, and the
    own answers of the field's spans."""
    before = 0
    for other, answers in spans.items():
        if other == name:
            return before, answers
        before += len(answers)
    return before, []


def _values_of_rows(rows: _Rows, name: str) -> list:
    """Each label set's answer of a field, from its distinct form."""
    per_text = [labels.get(name) for labels in rows.decoded]
    return [per_text[text] for text in rows.text_of_row.tolist()]


def _asked_rows(records: RecordFields, name: str, rows: _Rows) -> np.ndarray:
    """Which label sets the field was asked in (for a span field: whose annotator segmented the
    passage, perhaps marking nothing), decided once per distinct rest of the label set."""
    if not records.conditional(name):
        return np.ones(len(rows.unit), dtype=bool)
    asked = np.array([records.asked(name, labels) for labels in rows.decoded], dtype=bool)
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


def _as_arrays(batches) -> tuple[np.ndarray, list[str], list[str]]:
    """The rows' four numbers and the number of their label set's distinct text, as one array
    (each batch of rows taken apart column by column, in C: a list of every row as Python
    tuples would take several times the array's memory), the distinct texts and each row's
    span offsets."""
    distinct: dict = {}
    numbers, offsets = [], []
    for rows in batches:
        passage, user, day, seconds, texts, spans = zip(*rows, strict=True)
        for text in dict.fromkeys(texts):
            distinct.setdefault(text, len(distinct))
        columns = (passage, user, day, seconds, list(map(distinct.__getitem__, texts)))
        numbers.append(np.array(columns, dtype=np.float64).T)
        offsets.extend(spans)
    return np.concatenate(numbers) if numbers else np.empty((0, 5)), list(distinct), offsets


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
