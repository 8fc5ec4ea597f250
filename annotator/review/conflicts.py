"""What the annotators of a passage disagree on, field by field, and who said what: the review
queue shows it on each row, so a reviewer sees the conflict before opening the passage."""

import json
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation
from annotator.schema import Schema
from annotator.schema.types.base import Field
from annotator.users.models import User

NOT_ASKED = None  # an annotator's answer left the field out (its condition was not met)


@dataclass(frozen=True)
class Conflict:
    """One field the annotators answered differently: each answer with who gave it, in the
    order of the schema's options (NOT_ASKED last)."""

    name: str  # the field's name
    field: str  # the field's label
    answers: list[tuple[str | None, list[str]]]  # (option label or NOT_ASKED, usernames)


def conflicts_of(session: so.Session, schema: Schema, passage_ids: list[int]) -> dict[int, list[Conflict]]:
    """Per passage, the fields its annotators disagree on (one query for all the passages)."""
    given: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    rows = session.execute(
        sa.select(Annotation.passage_id, User.username, Annotation.labels)
        .join(User, User.id == Annotation.user_id)
        .where(Annotation.passage_id.in_(passage_ids))
        .order_by(Annotation.id)
    )
    for passage_id, username, labels in rows:
        given[passage_id].append((username, labels))
    return {passage_id: field_conflicts(schema, given[passage_id]) for passage_id in passage_ids}


def field_conflicts(schema: Schema, label_sets: list[tuple[str, dict]]) -> list[Conflict]:
    """The conflicts among (username, labels) pairs, in the schema's order of fields; answers
    in the order of the field's options (free texts, spans and records as given, in the order given)."""
    conflicts = []
    for field in schema.fields:
        answers: dict[str, tuple[object, list[str]]] = {}
        for username, labels in label_sets:
            value = labels.get(field.name, NOT_ASKED)
            answers.setdefault(_same_answer_key(value), (value, []))[1].append(username)
        if len(answers) > 1:
            conflicts.append(Conflict(field.name, field.label, _in_option_order(field, list(answers.values()))))
    return conflicts


def _same_answer_key(value) -> str:
    """One key for equal answers, whatever their shape (an option, a list of options, spans)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _in_option_order(field: Field, answers: list[tuple[object, list[str]]]) -> list[tuple[str | None, list[str]]]:
    order = field.option_values or []

    def rank(answer: tuple[object, list[str]]) -> tuple:
        value = answer[0]
        first = value[0] if isinstance(value, list) and value else value
        return (value is NOT_ASKED, order.index(first) if isinstance(first, str) and first in order else len(order))

    return [
        (field.words(value) if value is not NOT_ASKED else NOT_ASKED, usernames)
        for value, usernames in sorted(answers, key=rank)
    ]
