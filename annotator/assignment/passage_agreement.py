"""How much each complete passage's annotators agree, per field, kept in passage_agreement in
the transaction that changes the labels: the review queue reads it as an index range.

A passage enters the queue once it has all the labels it needs (k, or more when the project's
adaptive overlap asked for other opinions: assignment.overlap), its annotators disagree on some field, and no reviewer
has decided it yet."""

from collections.abc import Iterable

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.agreement.fields import passage_agreements
from annotator.annotations.adjudications import Adjudication
from annotator.annotations.models import Annotation
from annotator.assignment.models import ANY_FIELD, PassageAgreement
from annotator.documents.models import Passage
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.schema import Schema

CHUNK = 500

_agreement = PassageAgreement.__table__
_LABEL_SETS = sa.select(Annotation.__table__.c.passage_id, Annotation.__table__.c.labels).where(
    Annotation.__table__.c.passage_id.in_(sa.bindparam("ids", expanding=True))
)
_ADJUDICATED = sa.select(Adjudication.__table__.c.passage_id).where(
    Adjudication.__table__.c.passage_id.in_(sa.bindparam("ids", expanding=True))
)
_FORGET = _agreement.delete().where(_agreement.c.passage_id.in_(sa.bindparam("ids", expanding=True)))
_SETTLED = (
    _agreement.update().where(_agreement.c.passage_id == sa.bindparam("settled_passage")).values(awaiting_review=0)
)


def lowest_agreement(found: dict[str, tuple[float, int]]) -> float:
    """The lowest agreement over the fields (1.0 when no field has two values)."""
    return min((agreement for agreement, _ in found.values()), default=1.0)


def label_agreement(session: so.Session, project: Project, passage_id: int) -> dict[str, tuple[float, int]]:
    """Per field: (agreement, values) among the passage's current label sets."""
    label_sets = [labels for _, labels in session.connection().execute(_LABEL_SETS, {"ids": [passage_id]})]
    return label_set_agreements(schema_of(session, project), label_sets)


def label_set_agreements(schema: Schema, label_sets: list[dict]) -> dict[str, tuple[float, int]]:
    """Per measured field, and per span or evidence field, how much one passage's label sets agree."""
    return passage_agreements(schema.measured_fields, label_sets) | schema.review_agreements(label_sets)


def store_agreement(
    session: so.Session,
    project: Project,
    passage_id: int,
    found: dict[str, tuple[float, int]],
    complete: bool,
    adjudicated: bool | None = None,
) -> None:
    """Replace the passage's rows: one per field, and ANY_FIELD with the lowest."""
    connection = session.connection()
    if adjudicated is None and complete:  # an incomplete passage is not in the queue either way
        adjudicated = bool(connection.execute(_ADJUDICATED, {"ids": [passage_id]}).first())
    connection.execute(_FORGET, {"ids": [passage_id]})
    rows = _rows(project.id, passage_id, found, complete and not adjudicated)
    if rows:
        connection.execute(_agreement.insert(), rows)


def forget_agreement(session: so.Session, passage_id: int) -> None:
    """The passage is open again (one more annotator asked for): it keeps no agreement rows."""
    session.connection().execute(_FORGET, {"ids": [passage_id]})


def out_of_review(session: so.Session, passage_ids: list[int]) -> None:
    """Excluded passages leave the review queue (their agreement stays, for when they come back)."""
    session.connection().execute(
        _agreement.update().where(_agreement.c.passage_id.in_(passage_ids)).values(awaiting_review=0)
    )


def settle(session: so.Session, passage_id: int) -> None:
    """A reviewer decided the passage: it leaves the queue."""
    session.connection().execute(_SETTLED, {"settled_passage": passage_id})


def rebuild_agreement(session: so.Session, project: Project, passage_ids: Iterable[int] | None = None) -> int:
    """Recompute the rows of these passages (all the project's when None), a chunk at a
    time: after labels are imported in bulk or k changes. Returns the passages done."""
    connection = session.connection()
    schema = schema_of(session, project)
    ids = (
        list(passage_ids)
        if passage_ids is not None
        else list(
            connection.execute(
                sa.select(Passage.id).where(Passage.project_id == project.id, Passage.label_count >= 2)
            ).scalars()
        )
    )
    for start in range(0, len(ids), CHUNK):
        _rebuild_chunk(connection, project, schema, ids[start : start + CHUNK])
    return len(ids)


def _rebuild_chunk(connection, project: Project, schema: Schema, ids: list[int]) -> None:
    label_sets: dict[int, list[dict]] = {passage_id: [] for passage_id in ids}
    for passage_id, labels in connection.execute(_LABEL_SETS, {"ids": ids}):
        label_sets[passage_id].append(labels)
    complete = set(
        connection.execute(
            sa.select(Passage.id).where(
                Passage.id.in_(ids),
                Passage.label_count >= project.overlap_k + Passage.extra_labels,
                Passage.annotatable,  # an excluded passage is not reviewed (its labels are kept)
            )
        ).scalars()
    )
    adjudicated = set(connection.execute(_ADJUDICATED, {"ids": ids}).scalars())
    connection.execute(_FORGET, {"ids": ids})
    rows = [
        row
        for passage_id in ids
        for row in _rows(
            project.id,
            passage_id,
            label_set_agreements(schema, label_sets[passage_id]),
            passage_id in complete and passage_id not in adjudicated,
        )
    ]
    if rows:
        connection.execute(_agreement.insert(), rows)


def _rows(project_id: int, passage_id: int, found: dict[str, tuple[float, int]], awaiting: bool) -> list[dict]:
    if not found:
        return []
    lowest = lowest_agreement(found)
    rows = [
        {
            "project_id": project_id,
            "passage_id": passage_id,
            "field": name,
            "agreement": agreement,
            "values": values,
            "awaiting_review": int(awaiting and agreement < 1),
        }
        for name, (agreement, values) in found.items()
    ]
    rows.append(
        {
            "project_id": project_id,
            "passage_id": passage_id,
            "field": ANY_FIELD,
            "agreement": lowest,
            "values": max(values for _, values in found.values()),
            "awaiting_review": int(awaiting and lowest < 1),
        }
    )
    return rows
