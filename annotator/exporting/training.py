"""The `training` export: one line per labelled passage (an annotator's label set or a reviewer's
decision; with `all_passages`, every annotatable passage), in reading order, with the final
label of every field and where it came from (adjudicated, unanimous, majority, estimated with
its probability, single), the passage's agreement, and every annotator's labels.

Passages and their label sets stream from one ordered query, a chunk at a time; each chunk's
gold comes from the Dawid-Skene parameters of the whole project (fitted once, or kept from the
dashboard's figures), so a passage gets the same gold as in one big computation. Every line
has the same keys and types (what `datasets.load_dataset("json", ...)` wants): a field that
has no value is null, never missing."""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField
from annotator.agreement.figures import fit_gold
from annotator.agreement.reliability import item_agreement
from annotator.agreement.table import NONE, UNKNOWN, LabelTable
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation
from annotator.db import raw_rows
from annotator.documents.models import Document, Passage
from annotator.exporting.common import anonymous_names, read_consistently, usernames
from annotator.exporting.splits import split_of
from annotator.exporting.training_options import TrainingOptions, check_fields, exported_fields, schema_fields
from annotator.exporting.training_selection import lowest_agreement, training_lines_by_document
from annotator.projects.models import Project
from annotator.projects.schemas import current_schema
from annotator.review.models import Adjudication
from annotator.review.snapshot import gold_parameters

CHUNK_PASSAGES = 2000


@dataclass
class _Passage:
    id: int
    document_id: str
    index: int
    start: int
    end: int
    text: str
    annotatable: bool
    label_sets: list[tuple[int, tuple[int, ...], bool]]  # (user id, option code per field, unsure)
    adjudicated: tuple[int, ...] | None  # option code per field, None when not adjudicated
    before: str | None = None
    after: str | None = None


def training_records(session: so.Session, project: Project, options: TrainingOptions = TrainingOptions()) -> Iterator[dict]:
    """Every labelled passage (every annotatable one with `all_passages`) as a training record
    (see the module's docstring). Options that cannot give the export asked for are refused at
    once (ValueError), before anything is streamed: fields the schema does not have, a split
    that leaves one of its splits without a document (splits.check_split)."""
    if options.split is not None:
        training_lines_by_document(session, project, options)  # the documents the split is made of
    else:
        check_fields(options.fields, current_schema(session, project))
    return _training_records(session, project, options)


def _training_records(session: so.Session, project: Project, options: TrainingOptions) -> Iterator[dict]:
    read_consistently(session)
    schema = current_schema(session, project)
    all_fields = schema_fields(schema)
    fields = exported_fields(options, schema)
    parameters = gold_parameters(session, project)
    names = usernames(session) if options.names else anonymous_names(_annotators(session, project))
    passages = (passage for passage in _with_context(_passages(session, project, all_fields))
                if passage.annotatable and (options.all_passages or _labelled(passage)))
    for chunk in _chunks(passages):
        yield from _records(chunk, fields, all_fields, parameters, names, options)


def _annotators(session, project: Project) -> list[int]:
    return list(session.scalars(sa.select(Annotation.user_id).where(Annotation.project_id == project.id).distinct()))


def _passages(session, project: Project, fields: list[MeasuredField]) -> Iterator[_Passage]:
    """All passages of the project in reading order (excluded ones too, for the context), each
    with its label sets and adjudication as option codes (read as plain rows: see db.raw_rows;
    the stored JSON as text, decoded once per distinct label set)."""
    codes_of = CodesOfText([(field.name, field.categories) for field in fields])
    query = (
        sa.select(Passage.id, Document.external_id, Passage.index, Passage.start, Passage.end, Passage.text,
                  Passage.annotatable, Annotation.user_id, Annotation.unsure, sa.cast(Annotation.labels, sa.Text),
                  sa.cast(Adjudication.labels, sa.Text))
        .join(Document, Document.id == Passage.document_id)
        .outerjoin(Annotation, Annotation.passage_id == Passage.id)
        .outerjoin(Adjudication, Adjudication.passage_id == Passage.id)
        .where(Passage.project_id == project.id)
        .order_by(Passage.document_id, Passage.index, Annotation.user_id)
    )
    passage = None
    for row in raw_rows(session, query, stream=True):
        if passage is None or row[0] != passage.id:
            if passage is not None:
                yield passage
            passage = _Passage(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), [], codes_of(row[10]))
        if row[7] is not None:
            passage.label_sets.append((row[7], codes_of(row[9]), bool(row[8])))
    if passage is not None:
        yield passage


def _labelled(passage: _Passage) -> bool:
    """An annotator labelled it, or a reviewer decided it."""
    return bool(passage.label_sets) or passage.adjudicated is not None


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
    columns = {field.name: _gold_columns(field, golds[field.name], agreements[field.name]) for field in fields}
    lowest = lowest_agreement(list(agreements.values()), len(chunk))
    shown = _none_for_nan(np.round(lowest, 6))
    positions = [all_fields.index(field) for field in fields]
    label_sets: dict[tuple, dict] = {}  # one dict per distinct combination of values, shared
    for unit, passage in enumerate(chunk):
        if _wanted(passage, lowest[unit], options):
            yield _record(passage, unit, fields, columns, shown[unit], positions, label_sets, names, options)


def _gold_columns(field: MeasuredField, gold, agreement: np.ndarray) -> tuple[list, list[dict], list]:
    """Per unit of the chunk: the label, its gold dict (source, probability, agreement) and the
    agreement, as plain lists (NumPy turns whole columns into Python values far faster than one
    value at a time)."""
    labels = np.asarray((*field.categories, None), dtype=object)[gold.label].tolist()  # NONE (-1): the None at the end
    probability = _none_for_nan(np.where(gold.label == NONE, np.nan, np.round(gold.probability, 6)))
    agreements = _none_for_nan(np.round(agreement, 6))
    golds = [{"source": source or None, "probability": p, "agreement": a}
             for source, p, a in zip(gold.source.tolist(), probability, agreements, strict=True)]
    return labels, golds, agreements


def _none_for_nan(values: np.ndarray) -> list:
    return [None if value != value else value for value in values.tolist()]


def _table(chunk: list[_Passage], fields: list[MeasuredField]) -> LabelTable:
    """The chunk's label sets as a LabelTable (units: the chunk's passages in order)."""
    coder_ids = sorted({user for passage in chunk for user, _, _ in passage.label_sets})
    coder_of = {user: index for index, user in enumerate(coder_ids)}
    units, coders, codes = [], [], []
    for unit, passage in enumerate(chunk):
        for user, label_codes, _ in passage.label_sets:
            units.append(unit)
            coders.append(coder_of[user])
            codes.append(label_codes)
    codes = np.asarray(codes, dtype=np.int64).reshape(-1, len(fields))
    decided = np.asarray([passage.adjudicated or (NONE,) * len(fields) for passage in chunk], dtype=np.int64).reshape(-1, len(fields))
    known = lambda column: np.where(column == UNKNOWN, NONE, column)  # noqa: E731  (older schema values)
    return LabelTable(
        fields=fields, unit=np.asarray(units, dtype=np.int64), coder=np.asarray(coders, dtype=np.int64),
        values={field.name: known(codes[:, position]) for position, field in enumerate(fields)},
        week=np.zeros(len(units), dtype=np.int64), weeks=[], seconds=np.full(len(units), np.nan),
        unit_ids=np.asarray([passage.id for passage in chunk], dtype=np.int64), coder_ids=coder_ids,
        coder_names=[str(user) for user in coder_ids],
        adjudicated={field.name: known(decided[:, position]) for position, field in enumerate(fields)},
    )


def _record(passage: _Passage, unit: int, fields, columns, lowest, positions, label_sets: dict, names,
            options: TrainingOptions) -> dict:
    labels = {field.name: columns[field.name][0][unit] for field in fields}
    gold = {field.name: columns[field.name][1][unit] for field in fields}
    record = {
        "passage_id": passage.id, "document_id": passage.document_id, "index": passage.index,
        "start": passage.start, "end": passage.end, "text": passage.text,
    }
    if options.split is not None:
        record["split"] = split_of(passage.document_id, options.split, options.seed)
    if options.context:
        record["context"] = {"before": passage.before, "after": passage.after}
    record["annotators"] = len(passage.label_sets)
    record["agreement"] = lowest
    record["adjudicated"] = passage.adjudicated is not None
    record["labels"] = labels
    record["gold"] = gold
    record["annotations"] = [{"annotator": names.get(user, f"user-{user}"), "unsure": unsure,
                              "labels": _labels(fields, codes, positions, label_sets)}
                             for user, codes, unsure in passage.label_sets]
    return record


def _labels(fields: list[MeasuredField], codes: tuple, positions: list[int], cache: dict) -> dict:
    """An annotator's values of the exported fields (the same dict for the same values)."""
    found = cache.get(codes)
    if found is None:
        found = cache[codes] = {field.name: field.categories[codes[position]] if codes[position] >= 0 else None
                                for field, position in zip(fields, positions)}
    return found


def _wanted(passage: _Passage, lowest: float, options: TrainingOptions) -> bool:
    """The filters, on the exact agreement (the line shows it rounded); training_selection
    counts with the same rules."""
    if options.adjudicated_only and passage.adjudicated is None:
        return False
    if options.min_agreement is not None and not lowest >= options.min_agreement:  # NaN: no field has two values
        return False
    return True
