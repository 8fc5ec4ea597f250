"""The `training` export: one line per annotatable passage, in reading order, with the final
label of every field and where it came from (adjudicated, unanimous, majority, estimated with
its probability, single), the passage's agreement, and every annotator's labels.

Passages and their label sets stream from one ordered query, a chunk at a time; each chunk's
gold comes from the Dawid-Skene parameters of the whole project (fitted once, or kept from the
dashboard's figures), so a passage gets the same gold as in one big computation. Every line
has the same keys and types (what `datasets.load_dataset("json", ...)` wants): a field that
has no value is null, never missing."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField, measured_fields
from annotator.agreement.figures import fit_gold
from annotator.agreement.reliability import item_agreement
from annotator.agreement.table import NONE, LabelTable
from annotator.annotations.models import Annotation
from annotator.documents.models import Document, Passage
from annotator.exporting.common import anonymous_names, read_consistently, stream, usernames
from annotator.exporting.splits import split_of
from annotator.projects.models import Project
from annotator.projects.schemas import current_schema
from annotator.review.models import Adjudication
from annotator.review.snapshot import gold_parameters

CHUNK_PASSAGES = 2000


@dataclass(frozen=True)
class TrainingOptions:
    context: bool = False  # the text of the passages before and after
    names: bool = False  # annotators' usernames instead of pseudonyms
    min_agreement: float | None = None  # only passages whose lowest field agreement reaches this
    adjudicated_only: bool = False
    fields: tuple[str, ...] | None = None  # only these schema fields (all when None)
    split: tuple[int, int, int] | None = None  # train/dev/test shares, by document
    seed: int = 0


@dataclass
class _Passage:
    id: int
    document_id: str
    index: int
    start: int
    end: int
    text: str
    annotatable: bool
    label_sets: list[tuple[int, dict, bool]]  # (user id, labels, unsure)
    adjudicated: dict | None
    before: str | None = None
    after: str | None = None


def training_records(session: so.Session, project: Project, options: TrainingOptions = TrainingOptions()) -> Iterator[dict]:
    """Every annotatable passage as a training record (see the module's docstring)."""
    read_consistently(session)
    schema = current_schema(session, project)
    fields = [field for field in measured_fields(schema) if not field.is_decision
              and (options.fields is None or field.name in options.fields)]
    all_fields = [field for field in measured_fields(schema) if not field.is_decision]
    parameters = gold_parameters(session, project)
    names = usernames(session) if options.names else anonymous_names(_annotators(session, project))
    passages = (passage for passage in _with_context(_passages(session, project)) if passage.annotatable)
    for chunk in _chunks(passages):
        yield from _records(chunk, fields, all_fields, parameters, names, options)


def _annotators(session, project: Project) -> list[int]:
    return list(session.scalars(sa.select(Annotation.user_id).where(Annotation.project_id == project.id).distinct()))


def _passages(session, project: Project) -> Iterator[_Passage]:
    """All passages of the project in reading order (excluded ones too, for the context), each
    with its label sets and adjudication."""
    query = (
        sa.select(Passage.id, Document.external_id, Passage.index, Passage.start, Passage.end, Passage.text,
                  Passage.annotatable, Annotation.user_id, Annotation.labels, Annotation.unsure, Adjudication.labels)
        .join(Document, Document.id == Passage.document_id)
        .outerjoin(Annotation, Annotation.passage_id == Passage.id)
        .outerjoin(Adjudication, Adjudication.passage_id == Passage.id)
        .where(Passage.project_id == project.id)
        .order_by(Passage.document_id, Passage.index, Annotation.user_id)
    )
    for _, rows in groupby(stream(session, query), key=lambda row: row[0]):
        rows = list(rows)
        first = rows[0]
        yield _Passage(first[0], first[1], first[2], first[3], first[4], first[5], first[6],
                       [(row[7], row[8], row[9]) for row in rows if row[7] is not None], first[10])


def _with_context(passages: Iterator[_Passage]) -> Iterator[_Passage]:
    """Each passage with the text of its neighbours in the same document."""
    previous, current = None, None
    for following in passages:
        if current is not None:
            current.before = previous.text if previous and previous.document_id == current.document_id else None
            current.after = following.text if following.document_id == current.document_id else None
            yield current
        previous, current = current, following
    if current is not None:
        current.before = previous.text if previous and previous.document_id == current.document_id else None
        yield current


def _chunks(passages: Iterator[_Passage]) -> Iterator[list[_Passage]]:
    chunk = []
    for passage in passages:
        chunk.append(passage)
        if len(chunk) >= CHUNK_PASSAGES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _records(chunk: list[_Passage], fields: list[MeasuredField], all_fields: list[MeasuredField], parameters: dict,
             names: dict[int, str], options: TrainingOptions) -> Iterator[dict]:
    table = _table(chunk, all_fields)
    _, golds = fit_gold(table, parameters)
    agreements = {field.name: item_agreement(table.ratings(field)) for field in fields}
    for unit, passage in enumerate(chunk):
        record = _record(passage, unit, fields, golds, agreements, names, options)
        if _wanted(record, passage, options):
            yield record


def _table(chunk: list[_Passage], fields: list[MeasuredField]) -> LabelTable:
    """The chunk's label sets as a LabelTable (units: the chunk's passages in order)."""
    coder_ids = sorted({user for passage in chunk for user, _, _ in passage.label_sets})
    coder_of = {user: index for index, user in enumerate(coder_ids)}
    rows = [(unit, coder_of[user], labels) for unit, passage in enumerate(chunk) for user, labels, _ in passage.label_sets]
    def column(field):
        return np.array([_category(field, labels) for _, _, labels in rows], dtype=np.int64)
    return LabelTable(
        fields=fields, unit=np.array([row[0] for row in rows], dtype=np.int64),
        coder=np.array([row[1] for row in rows], dtype=np.int64), values={field.name: column(field) for field in fields},
        week=np.zeros(len(rows), dtype=np.int64), weeks=[], seconds=np.full(len(rows), np.nan),
        unit_ids=np.array([passage.id for passage in chunk], dtype=np.int64), coder_ids=coder_ids,
        coder_names=[str(user) for user in coder_ids],
        adjudicated={field.name: np.array([_category(field, passage.adjudicated or {}) for passage in chunk], dtype=np.int64)
                     for field in fields},
    )


def _category(field: MeasuredField, labels: dict) -> int:
    category = field.category_of(labels)
    return NONE if category is None else category


def _record(passage: _Passage, unit: int, fields, golds, agreements, names, options: TrainingOptions) -> dict:
    labels, gold = {}, {}
    for field in fields:
        found = golds[field.name]
        label = int(found.label[unit])
        agreement = agreements[field.name][unit]
        labels[field.name] = field.categories[label] if label != NONE else None
        gold[field.name] = {
            "source": str(found.source[unit]) or None,
            "probability": None if label == NONE else round(float(found.probability[unit]), 6),
            "agreement": None if np.isnan(agreement) else round(float(agreement), 6),
        }
    present = [entry["agreement"] for entry in gold.values() if entry["agreement"] is not None]
    record = {
        "passage_id": passage.id, "document_id": passage.document_id, "index": passage.index,
        "start": passage.start, "end": passage.end, "text": passage.text,
    }
    if options.split is not None:
        record["split"] = split_of(passage.document_id, options.split, options.seed)
    if options.context:
        record["context"] = {"before": passage.before, "after": passage.after}
    record.update({
        "annotators": len(passage.label_sets), "agreement": min(present) if present else None,
        "adjudicated": passage.adjudicated is not None, "labels": labels, "gold": gold,
        "annotations": [{"annotator": names.get(user, f"user-{user}"), "unsure": bool(unsure),
                         "labels": {field.name: label_sets.get(field.name) for field in fields}}
                        for user, label_sets, unsure in passage.label_sets],
    })
    return record


def _wanted(record: dict, passage: _Passage, options: TrainingOptions) -> bool:
    if options.adjudicated_only and passage.adjudicated is None:
        return False
    if options.min_agreement is not None and (record["agreement"] is None or record["agreement"] < options.min_agreement):
        return False
    return True
