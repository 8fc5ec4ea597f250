"""The `training` export: one line per labelled passage (an annotator's label set or a reviewer's
decision; with `all_passages`, every annotatable passage), in reading order, with the final
label of every field and where it came from (adjudicated, unanimous, majority, estimated with
its probability, single), the passage's agreement, and every annotator's labels. A span
field's label is its gold spans in the document's raw offsets with their exact words, an
evidence field's its gold records, each span and record with its provenance
(exporting/provenance.py).

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
from annotator.agreement.table import NONE, LabelTable
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation
from annotator.db import raw_rows
from annotator.documents.models import Document, Passage
from annotator.documents.words import words_of_passages
from annotator.exporting.consistent_read import read_consistently
from annotator.exporting.people import anonymous_names, usernames
from annotator.exporting.provenance import with_provenance
from annotator.exporting.splits import split_of
from annotator.exporting.training_options import (
    TrainingOptions,
    agreement_fields,
    check_fields,
    exported_fields,
    gold_fields,
)
from annotator.exporting.training_selection import lowest_agreement, training_lines_by_document
from annotator.project_agreement.snapshot import gold_parameters
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.quality.standing import labels_left_out
from annotator.schema import Schema
from annotator.schema.types.base import Field
from annotator.splitting.words import PassageWords

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
    label_sets: list[
        tuple[int, tuple[int, ...], bool, dict]
    ]  # (user id, code per gold field, unsure, answers as given)
    adjudicated: tuple[tuple[int, ...], dict] | None  # (code per gold field, answers), None when not adjudicated
    before: str | None = None
    after: str | None = None


def training_records(session: so.Session, project: Project, options: TrainingOptions | None = None) -> Iterator[dict]:
    """Every labelled passage (every annotatable one with `all_passages`) as a training record
    (see the module's docstring). Options that cannot give the export asked for are refused at
    once (ValueError), before anything is streamed: fields the schema does not have, a split
    that leaves one of its splits without a document (splits.check_split)."""
    options = options or TrainingOptions()
    if options.split is not None:
        training_lines_by_document(session, project, options)  # the documents the split is made of
    else:
        check_fields(options.fields, schema_of(session, project))
    return _training_records(session, project, options)


@dataclass(frozen=True)
class _Columns:
    """What a chunk's records are made of: the schema, the fields written, the measured fields
    gold is estimated on (the chunk table's columns), those a line's agreement is the lowest
    of, and the whole project's Dawid-Skene parameters."""

    schema: Schema
    exported: list[Field]
    gold: list[MeasuredField]
    agreement: list[MeasuredField]
    parameters: dict


def _training_records(session: so.Session, project: Project, options: TrainingOptions) -> Iterator[dict]:
    read_consistently(session)
    schema = schema_of(session, project)
    columns = _Columns(
        schema,
        exported_fields(options, schema),
        gold_fields(schema),
        agreement_fields(options, schema),
        gold_parameters(session, project),
    )
    names = usernames(session) if options.names else anonymous_names(_annotators(session, project))
    codes_of = CodesOfText(columns.gold, kept=[field.name for field in columns.exported])
    passages = (
        passage
        for passage in _with_context(_passages(session, project, codes_of))
        if passage.annotatable and (options.all_passages or _labelled(passage))
    )
    for chunk in _chunks(passages):
        yield from _records(chunk, _words(session, chunk, columns.exported), columns, names, options)


def _words(session, chunk: list[_Passage], fields: list[Field]) -> dict[int, PassageWords]:
    """The words of the chunk's passages whose gold spans may need them: a gold span's agreed
    extent is snapped to words when two or more annotators marked spans (a reviewer's spans, or
    one annotator's, are their own extents). Nothing for a schema without spans: other projects
    pay nothing (aligning a passage's words to its raw text is the costly part)."""
    span_fields = [field.name for field in fields if field.NEEDS_PASSAGE]
    if not span_fields:
        return {}
    wanted = [passage.id for passage in chunk if _several_marked(passage, span_fields)]
    return words_of_passages(session, wanted) if wanted else {}


def _several_marked(passage: _Passage, span_fields: list[str]) -> bool:
    """Whether two or more annotators marked spans of a field the reviewer did not decide."""
    decided = passage.adjudicated[1] if passage.adjudicated else {}
    return any(
        decided.get(name) is None and sum(1 for *_, answers in passage.label_sets if answers.get(name)) >= 2
        for name in span_fields
    )


def _annotators(session, project: Project) -> list[int]:
    query = sa.select(Annotation.user_id).where(
        Annotation.project_id == project.id, Annotation.user_id.not_in(labels_left_out(project.id))
    )
    return list(session.scalars(query.distinct()))


def _passages(session, project: Project, codes_of: CodesOfText) -> Iterator[_Passage]:
    """All passages of the project in reading order (excluded ones too, for the context), each
    with its label sets and adjudication as codes and answers (read as plain rows: see
    db.raw_rows; the stored JSON as text, decoded once per distinct label set)."""
    query = (
        sa.select(
            Passage.id,
            Document.external_id,
            Passage.index,
            Passage.start,
            Passage.end,
            Passage.text,
            Passage.annotatable,
            Annotation.user_id,
            Annotation.unsure,
            sa.cast(Annotation.labels, sa.Text),
            sa.cast(Adjudication.labels, sa.Text),
        )
        .join(Document, Document.id == Passage.document_id)
        .outerjoin(
            Annotation,
            sa.and_(
                Annotation.passage_id == Passage.id,
                Annotation.user_id.not_in(labels_left_out(project.id)),  # a reviewer left a paused annotator out
            ),
        )
        .outerjoin(Adjudication, Adjudication.passage_id == Passage.id)
        .where(Passage.project_id == project.id)
        .order_by(Passage.document_id, Passage.index, Annotation.user_id)
    )
    passage = None
    for row in raw_rows(session, query, stream=True):
        if passage is None or row[0] != passage.id:
            if passage is not None:
                yield passage
            passage = _Passage(
                row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), [], codes_of.decode(row[10])
            )
        if row[7] is not None:
            codes, answers = codes_of.decode(row[9])
            passage.label_sets.append((row[7], codes, bool(row[8]), answers))
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


def _records(
    chunk: list[_Passage],
    words: dict[int, PassageWords],
    columns: _Columns,
    names: dict[int, str],
    options: TrainingOptions,
) -> Iterator[dict]:
    table = _table(chunk, columns.gold)
    _, golds = fit_gold(table, columns.parameters)
    agreements = {field.name: item_agreement(table.ratings(field)) for field in columns.agreement}
    measured = {
        field.name: _gold_columns(field, golds[field.name], agreements.get(field.name)) for field in columns.gold
    }
    answers = {field.name: _answers(field, chunk, words, measured) for field in columns.exported}
    lowest = lowest_agreement(list(agreements.values()), len(chunk))
    shown = _none_for_nan(np.round(lowest, 6))
    for unit, passage in enumerate(chunk):
        if _wanted(passage, lowest[unit], options):
            yield _record(passage, unit, columns.exported, answers, shown[unit], names, options)


def _gold_columns(field: MeasuredField, gold, agreement: np.ndarray | None) -> tuple[list, list, list, list]:
    """Per unit of the chunk: the label, its source, probability and the agreement, as plain
    lists (NumPy turns whole columns into Python values far faster than one value at a time)."""
    labels = np.asarray((*field.categories, None), dtype=object)[gold.label].tolist()  # NONE (-1): the None at the end
    probability = _none_for_nan(np.where(gold.label == NONE, np.nan, np.round(gold.probability, 6)))
    agreements = _none_for_nan(np.round(agreement, 6)) if agreement is not None else [None] * len(labels)
    return labels, [source or None for source in gold.source.tolist()], probability, agreements


def _answers(field: Field, chunk: list[_Passage], words: dict[int, PassageWords], measured: dict) -> tuple[list, list]:
    """Per unit, the field's final answer and its gold, as its type derives them. A span field
    settles its spans against the passage's words (a gold span's agreed extent gets the exact
    text of its words); every gold span and evidence record carries its provenance."""
    settled = field.gold_columns(measured)
    if settled is not None:
        return settled
    pairs = [_settled(field, passage, words.get(passage.id)) for passage in chunk]
    return [with_provenance(field, answer, gold) for answer, gold in pairs], [gold for _, gold in pairs]


def _settled(field: Field, passage: _Passage, words: PassageWords | None) -> tuple[object, dict]:
    given = [answers.get(field.name) for _, _, _, answers in passage.label_sets]
    decided = passage.adjudicated[1].get(field.name) if passage.adjudicated else None
    return field.settle(given, decided, words)


def _none_for_nan(values: np.ndarray) -> list:
    return [None if value != value else value for value in values.tolist()]


def _table(chunk: list[_Passage], fields: list[MeasuredField]) -> LabelTable:
    """The chunk's label sets as a LabelTable (units: the chunk's passages in order)."""
    coder_ids = sorted({user for passage in chunk for user, *_ in passage.label_sets})
    coder_of = {user: index for index, user in enumerate(coder_ids)}
    units, coders, codes = [], [], []
    for unit, passage in enumerate(chunk):
        for user, label_codes, _, _ in passage.label_sets:
            units.append(unit)
            coders.append(coder_of[user])
            codes.append(label_codes)
    codes = np.asarray(codes, dtype=np.int64).reshape(len(units), len(fields))  # no -1: a schema may have no fields
    decided = np.asarray(
        [passage.adjudicated[0] if passage.adjudicated else (NONE,) * len(fields) for passage in chunk], dtype=np.int64
    ).reshape(len(chunk), len(fields))
    return LabelTable(
        fields=fields,
        unit=np.asarray(units, dtype=np.int64),
        coder=np.asarray(coders, dtype=np.int64),
        values={field.name: codes[:, position] for position, field in enumerate(fields)},
        week=np.zeros(len(units), dtype=np.int64),
        weeks=[],
        seconds=np.full(len(units), np.nan),
        unit_ids=np.asarray([passage.id for passage in chunk], dtype=np.int64),
        coder_ids=coder_ids,
        coder_names=[str(user) for user in coder_ids],
        adjudicated={field.name: decided[:, position] for position, field in enumerate(fields)},
    )


def _record(
    passage: _Passage, unit: int, fields: list[Field], answers: dict, lowest, names, options: TrainingOptions
) -> dict:
    record = {
        "passage_id": passage.id,
        "document_id": passage.document_id,
        "index": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
    }
    if options.split is not None:
        record["split"] = split_of(passage.document_id, options.split, options.seed)
    if options.context:
        record["context"] = {"before": passage.before, "after": passage.after}
    record["annotators"] = len(passage.label_sets)
    record["agreement"] = lowest
    record["adjudicated"] = passage.adjudicated is not None
    record["labels"] = {field.name: answers[field.name][0][unit] for field in fields}
    record["gold"] = {field.name: answers[field.name][1][unit] for field in fields}
    record["annotations"] = [
        {"annotator": names.get(user, f"user-{user}"), "unsure": unsure, "labels": given}
        for user, _, unsure, given in passage.label_sets
    ]
    return record


def _wanted(passage: _Passage, lowest: float, options: TrainingOptions) -> bool:
    """The filters, on the exact agreement (the line shows it rounded); training_selection
    counts with the same rules."""
    if options.adjudicated_only and passage.adjudicated is None:
        return False
    if options.min_agreement is not None and not lowest >= options.min_agreement:  # NaN: no field has two values
        return False
    return True
