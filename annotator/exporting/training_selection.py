"""Which passages the `training` export writes a line for, known before it streams: its line
count (the exports page shows it before the download) and the documents of its lines (a split
is checked against them).

The rules are the export's, and so are its refusals: annotatable passages with a label set or a reviewer's decision
(all annotatable ones with `all_passages`), only adjudicated ones when asked, and with a minimum
agreement only those whose lowest agreement over the exported fields reaches it. Without a
minimum this is one indexed count. With one, the agreements are worked out from the label sets
as the export works them out (the same decoding and `item_agreement`, no Dawid-Skene: gold labels
do not decide which lines there are), from one read of the project's label sets. Tests hold the
count equal to the lines the export writes."""

from array import array

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import MeasuredField
from annotator.agreement.ratings import Ratings
from annotator.agreement.reliability import item_agreement
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.label_codes import CodesOfText
from annotator.annotations.models import Annotation
from annotator.db import raw_rows
from annotator.documents.models import Document, Passage
from annotator.exporting.splits import check_split
from annotator.exporting.training_options import TrainingOptions, agreement_fields, check_fields
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of


def training_line_count(session: so.Session, project: Project, options: TrainingOptions) -> int:
    """Lines of the `training` export with these options (ValueError for options it refuses)."""
    return sum(training_lines_by_document(session, project, options).values())


def training_lines_by_document(session: so.Session, project: Project, options: TrainingOptions) -> dict[str, int]:
    """Per document (its own id, in import order), its lines in the `training` export with
    these options; documents without a line are left out. Options the export refuses are
    refused here too (ValueError): fields the schema does not have, a split that leaves a split
    without a document."""
    lines = _lines_by_document(session, project, options)
    if options.split is not None:
        check_split(list(lines), options.split, options.seed)
    return lines


def _lines_by_document(session: so.Session, project: Project, options: TrainingOptions) -> dict[str, int]:
    check_fields(options.fields, schema_of(session, project))
    if options.min_agreement is None:
        selected = _filtered(project, options).subquery()
        lines = dict(
            session.execute(sa.select(selected.c.document_id, sa.func.count()).group_by(selected.c.document_id)).all()
        )
    else:
        document_ids, counts = np.unique(_agreeing(session, project, options), return_counts=True)
        lines = dict(zip(document_ids.tolist(), counts.tolist(), strict=True))
    names = session.execute(
        sa.select(Document.id, Document.external_id).where(Document.project_id == project.id).order_by(Document.id)
    )
    return {name: lines[document_id] for document_id, name in names if document_id in lines}


def lowest_agreement(agreements: list[np.ndarray], units: int) -> np.ndarray:
    """Per unit, the lowest agreement of the fields that have one (NaN when none has)."""
    if not agreements:
        return np.full(units, np.nan)
    return np.fmin.reduce(np.vstack(agreements), axis=0)


def _filtered(project: Project, options: TrainingOptions) -> sa.Select:
    """(passage id, document id) of the passages the export writes, but for the minimum agreement."""
    query = sa.select(Passage.id, Passage.document_id).where(Passage.project_id == project.id, Passage.annotatable)
    if not options.all_passages:
        query = query.where(sa.or_(_has(Annotation), _has(Adjudication)))
    if options.adjudicated_only:
        query = query.where(_has(Adjudication))
    return query


def _has(model) -> sa.Exists:
    return sa.exists().where(model.passage_id == Passage.id)


def _agreeing(session: so.Session, project: Project, options: TrainingOptions) -> np.ndarray:
    """The document id of each passage the filters keep whose lowest agreement reaches the
    minimum. A passage needs two values of a field to have an agreement, so only labelled
    passages can: the label sets are all it takes."""
    fields = agreement_fields(options, schema_of(session, project))
    query = (
        sa.select(Annotation.passage_id, Passage.document_id, sa.cast(Annotation.labels, sa.Text))
        .join(Passage, Passage.id == Annotation.passage_id)
        .where(Annotation.project_id == project.id, Passage.annotatable)
    )
    if options.adjudicated_only:
        query = query.where(_has(Adjudication))
    passage_of, document_of, codes = _label_sets(session, query, fields)
    passages, unit = np.unique(passage_of, return_inverse=True)
    documents = np.zeros(len(passages), dtype=np.int64)
    documents[unit] = document_of
    agreements = [
        _field_agreement(unit, codes[:, position], len(passages), len(field.categories))
        for position, field in enumerate(fields)
    ]
    return documents[lowest_agreement(agreements, len(passages)) >= options.min_agreement]  # NaN: not kept


def _label_sets(session: so.Session, query: sa.Select, fields: list[MeasuredField]) -> tuple[np.ndarray, ...]:
    """Per label set: its passage, the passage's document and its option code per field, read
    a batch at a time into compact arrays (a project's label sets share a few distinct codes)."""
    codes_of = CodesOfText(fields)
    passage_of, document_of, codes = array("q"), array("q"), []
    for passage_id, document_id, text in raw_rows(session, query, stream=True):
        passage_of.append(passage_id)
        document_of.append(document_id)
        codes.append(codes_of(text))
    return (
        np.asarray(passage_of, dtype=np.int64),
        np.asarray(document_of, dtype=np.int64),
        np.asarray(codes, dtype=np.int64).reshape(len(codes), len(fields)),  # no -1: there may be no fields
    )


def _field_agreement(unit: np.ndarray, values: np.ndarray, units: int, categories: int) -> np.ndarray:
    """Per passage, the field's agreement; values that are none (-1: not given, or not an
    option of the current schema) do not count, as in the export."""
    present = values >= 0
    ratings = Ratings(
        unit[present], np.zeros(int(present.sum()), dtype=np.int64), values[present], units, 1, categories
    )
    return item_agreement(ratings)
