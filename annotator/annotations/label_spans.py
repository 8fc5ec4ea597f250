"""The stored form agreement reads of a label set: the label set without its record answers
(`Annotation.labels_without_records`: few distinct texts, each decoded once however many label
sets share it) and its spans as numbers (`LabelSpan` rows), so that agreement on a project of
300,000 label sets with spans reads arrays instead of decoding 300,000 JSON texts.

Both come from the label set alone, without its schema: a record answer is a non-empty list of
objects (a span field's spans, an evidence field's records), a span one with whole-number
`start` and `end`. Every path that writes a label set (recording, import, restore; migration
0018 for label sets stored before) stores them through this module, in the same transaction."""

from collections.abc import Iterable

import orjson
import sqlalchemy as sa

from annotator.annotations.models import LabelSpan
from annotator.db import insert_many

_label_span = LabelSpan.__table__
_DELETE_SPANS = _label_span.delete().where(
    _label_span.c.passage_id == sa.bindparam("passage"), _label_span.c.user_id == sa.bindparam("user")
)


def is_records(value: object) -> bool:
    """Whether an answer is a list of records (spans or evidence) rather than options or text."""
    return isinstance(value, list) and bool(value) and all(isinstance(one, dict) for one in value)


def labels_without_records(labels: dict) -> dict:
    """The label set with its record answers left out."""
    return {name: value for name, value in labels.items() if not is_records(value)}


def span_rows(project_id: int, passage_id: int, user_id: int, labels: dict) -> list[dict]:
    """The label set's spans as LabelSpan rows, their own answers as JSON text."""
    return [
        {
            "passage_id": passage_id,
            "user_id": user_id,
            "field": name,
            "position": position,
            "project_id": project_id,
            "start": span["start"],
            "end": span["end"],
            "labels": orjson.dumps(span.get("labels") or {}).decode(),
        }
        for name, value in labels.items()
        if is_records(value) and all(_is_span(one) for one in value)
        for position, span in enumerate(value)
    ]


def _is_span(record: dict) -> bool:
    return all(type(record.get(key)) is int for key in ("start", "end"))


def store_spans(connection: sa.Connection, project_id: int, label_sets: Iterable[tuple[int, int, dict]]) -> None:
    """Store the spans of these new label sets ((passage id, user id, labels) each)."""
    rows = [
        row for passage_id, user_id, labels in label_sets for row in span_rows(project_id, passage_id, user_id, labels)
    ]
    insert_many(connection, _label_span, rows)


def replace_spans(connection: sa.Connection, project_id: int, label_sets: list[tuple[int, int, dict]]) -> None:
    """Store the spans of these changed label sets in place of those of their earlier labels
    (of a label set changed twice, the later labels)."""
    latest = {(passage, user): labels for passage, user, labels in label_sets}
    if latest:
        connection.execute(_DELETE_SPANS, [{"passage": passage, "user": user} for passage, user in latest])
    store_spans(connection, project_id, ((passage, user, labels) for (passage, user), labels in latest.items()))
