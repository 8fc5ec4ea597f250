"""A reviewer's decision on a passage: every annotator's labels side by side, the gold the
labels give now, and the reviewer's final labels, kept with their history like annotations."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField
from annotator.agreement.gold import ADJUDICATED, aggregate
from annotator.agreement.ratings import Ratings
from annotator.annotations.adjudications import DISAGREEMENT_CATEGORIES, Adjudication, AdjudicationEvent
from annotator.annotations.models import Annotation
from annotator.annotations.recording import MAX_NOTE, checked_labels
from annotator.assignment.lifecycle import passage_decided
from annotator.clock import utcnow
from annotator.documents.models import Document, Passage
from annotator.domain_errors import Invalid
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.schema import RESERVED_KEYS, Schema
from annotator.splitting.words import PassageWords
from annotator.users.models import User


@dataclass(frozen=True)
class Opinion:
    """One annotator's current labels for the passage, as a reviewer sees them."""

    user_id: int
    username: str
    labels: dict
    note: str
    unsure: bool


@dataclass(frozen=True)
class FieldGold:
    value: str | None  # None: no gold (nobody answered, or the field is not asked)
    source: str
    votes: Counter


def opinions(session: so.Session, passage_id: int) -> list[Opinion]:
    """Every annotator's labels, in the order they were first given."""
    rows = session.execute(
        sa.select(User.id, User.username, Annotation.labels, Annotation.note, Annotation.unsure)
        .join(User, User.id == Annotation.user_id)
        .where(Annotation.passage_id == passage_id)
        .order_by(Annotation.id)
    )
    return [Opinion(*row) for row in rows]


def agreed_values(found: list[Opinion]) -> dict[str, str]:
    """The values every annotator gave alike: all a decision form may start from. Where they
    disagree, or a field was asked of some only, the reviewer chooses; an estimate is never
    chosen for them."""
    if not found:
        return {}
    first, *others = found
    return {name: value for name, value in first.labels.items() if all(o.labels.get(name) == value for o in others)}


def agrees_with_everybody(found: list[Opinion], labels: dict) -> bool:
    """Whether the decision is every annotator's whole answer (a category is optional then)."""
    return all(opinion.labels == labels for opinion in found)


def equal_answers(found: list[Opinion], labels: dict) -> list[int]:
    """The annotators whose whole answer the decision equals (ids, in the order they answered)."""
    return [opinion.user_id for opinion in found if opinion.labels == labels]


# Keys for "start from this annotator's answer", taken in this order from those the schema and
# the screen leave free.
ANSWER_KEYS = "qwertyzhjklmcio"


def answer_keys(schema: Schema, count: int) -> list[str | None]:
    """A key for each of `count` annotators' answers (None once the free keys run out)."""
    taken = RESERVED_KEYS | schema.keys()
    free = [key for key in ANSWER_KEYS if key not in taken]
    return [free[index] if index < len(free) else None for index in range(count)]


# Keys for "why they disagreed", the first the schema and the answers' keys leave free.
CATEGORY_KEYS = "cxvnpau"


def category_key(schema: Schema, answers_keys: list[str | None]) -> str | None:
    """The key that takes the reviewer to the disagreement category (None if none is free)."""
    taken = RESERVED_KEYS | schema.keys() | set(answers_keys)
    return next((key for key in CATEGORY_KEYS if key not in taken), None)


@dataclass(frozen=True)
class Decision:
    """A stored decision as the reviewer is shown it once saved."""

    passage_id: int
    document: str  # the document's title (or own id)
    index: int
    values: list[tuple[str, str]]  # (field label, option label), in the schema's order
    note: str
    equal_to: list[str]  # the annotators whose whole answer it equals


def decision_summary(session: so.Session, project: Project, passage_id: int) -> Decision | None:
    """The passage's current decision in the project, in the schema's words (None if none)."""
    row = session.execute(
        sa.select(Adjudication.labels, Adjudication.note, Passage.index, Document.title, Document.external_id)
        .join(Passage, Passage.id == Adjudication.passage_id)
        .join(Document, Document.id == Passage.document_id)
        .where(Adjudication.passage_id == passage_id, Adjudication.project_id == project.id)
    ).first()
    if row is None:
        return None
    latest = (
        session.scalar(
            sa.select(AdjudicationEvent.equal_to)
            .where(AdjudicationEvent.passage_id == passage_id)
            .order_by(AdjudicationEvent.id.desc())
            .limit(1)
        )
        or []
    )
    names = dict(session.execute(sa.select(User.id, User.username).where(User.id.in_(latest))).all())
    return Decision(
        passage_id,
        row.title or row.external_id,
        row.index,
        schema_of(session, project).in_words(row.labels),
        row.note,
        [names[user_id] for user_id in latest if user_id in names],
    )


def current_adjudication(session: so.Session, passage_id: int) -> Adjudication | None:
    return session.scalar(sa.select(Adjudication).where(Adjudication.passage_id == passage_id))


class UnknownCategory(Invalid):
    """A disagreement category that is none of DISAGREEMENT_CATEGORIES."""


class CategoryNeeded(Invalid):
    """A decision that differs from an annotator's answer, asked for without saying why they disagreed."""


def checked_category(category: str | None) -> str | None:
    """The decision's disagreement category (None: not given)."""
    if category is None or category in DISAGREEMENT_CATEGORIES:
        return category
    raise UnknownCategory(f"category must be one of {', '.join(DISAGREEMENT_CATEGORIES)}; got {category!r}")


def adjudicate(
    session: so.Session,
    project: Project,
    passage_id: int,
    reviewer: User,
    labels: dict,
    note: str = "",
    client_time: datetime | None = None,
    category: str | None = None,
    category_needed: bool = False,
) -> bool:
    """Store the reviewer's final labels for the passage (a complete label set under the
    current schema; LabelError otherwise), with why its annotators disagreed (`category`, of
    DISAGREEMENT_CATEGORIES, or None); the passage leaves the queue. With `category_needed`
    (the decision form), a decision that is not every annotator's answer needs a category
    (CategoryNeeded); scripts and imports may leave it out. Returns whether anything changed
    (the same decision again is one decision)."""
    refuse_if_archived(project)
    state = {"labels": checked_labels(session, project, passage_id, labels), "note": note.strip()[:MAX_NOTE]}
    category = checked_category(category)
    found = opinions(session, passage_id)
    if category_needed and category is None and not agrees_with_everybody(found, state["labels"]):
        raise CategoryNeeded("say why the annotators disagreed: the decision is not every annotator's answer")
    existing = current_adjudication(session, passage_id)
    before = {"labels": existing.labels, "note": existing.note} if existing else None
    if before == state and existing.category == category:
        return False
    now = utcnow()
    session.add(
        AdjudicationEvent(
            project_id=project.id,
            passage_id=passage_id,
            reviewer_id=reviewer.id,
            before=before,
            after=state,
            equal_to=equal_answers(found, state["labels"]),
            category=category,
            schema_version=project.schema_version,
            guidelines_version=project.guidelines_version,
            client_time=client_time,
            server_time=now,
        )
    )
    if existing is None:
        existing = Adjudication(project_id=project.id, passage_id=passage_id, created_at=now)
        session.add(existing)
    existing.labels, existing.note, existing.reviewer_id = state["labels"], state["note"], reviewer.id
    existing.category = category
    existing.schema_version, existing.updated_at = project.schema_version, now
    session.flush()
    passage_decided(session, passage_id)
    return True


def passage_gold(
    schema: Schema, found: list[Opinion], adjudication: Adjudication | None, passage: "PassageWords | None" = None
) -> dict[str, FieldGold]:
    """Per schema field, the gold answer this passage's labels give now (the rules of the
    export: adjudicated, unanimous, majority, estimated, single), a conditional field only
    where the gold that decides whether it is asked says so. Given the passage's words, gold
    spans cover the words a majority marked (else the nearest annotator's span stands in)."""
    measured = _measured_golds(schema, found, adjudication)
    golds = {}
    for field in schema.fields:
        if field.OWN_GOLD:
            decided = adjudication.labels.get(field.name) if adjudication is not None else None
            given = [opinion.labels.get(field.name) for opinion in found]
            value, gold = field.settle(given, decided, passage)
            golds[field.name] = FieldGold(value, gold["source"] or "", Counter())
        else:
            answers, gold = field.gold_columns(
                {name: ([one.value], [one.source], [None], [None]) for name, one in measured.items()}
            )
            golds[field.name] = FieldGold(answers[0], gold[0]["source"] or "", Counter())
    return golds


def _measured_golds(schema: Schema, found: list[Opinion], adjudication: Adjudication | None) -> dict[str, FieldGold]:
    """The gold of every measured field that has one, each after the gold that gates it."""
    pending = [field for field in schema.measured_fields if field.has_gold]
    golds: dict[str, FieldGold] = {}
    while pending:
        ready = [field for field in pending if field.asked_when is None or field.asked_when[0] in golds]
        for field in ready:
            if field.asked_when is not None and not _asked(golds[field.asked_when[0]], field.asked_when[1]):
                golds[field.name] = FieldGold(None, "not asked", Counter())
            else:
                golds[field.name] = _field_gold(field, found, adjudication)
        pending = [field for field in pending if field not in ready] if ready else []
    return golds


def _asked(controlling: FieldGold | None, excluded: tuple[str, ...]) -> bool:
    return controlling is not None and controlling.value is not None and controlling.value not in excluded


def _field_gold(field: MeasuredField, found: list[Opinion], adjudication: Adjudication | None) -> FieldGold:
    categories = [field.category_of(opinion.labels) for opinion in found]
    given = [(coder, category) for coder, category in enumerate(categories) if category is not None]
    votes = Counter(field.categories[category] for _, category in given)
    decided = field.category_of(adjudication.labels) if adjudication is not None else None
    if decided is not None:
        return FieldGold(field.categories[decided], ADJUDICATED, votes)
    if not given:
        return FieldGold(None, "", votes)
    ratings = Ratings.from_triples(
        [(0, coder, category) for coder, category in given], len(field.categories), n_units=1, n_coders=len(found)
    )
    gold = aggregate(ratings, np.array([-1]))
    return FieldGold(field.categories[int(gold.label[0])], str(gold.source[0]), votes)
