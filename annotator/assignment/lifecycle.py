"""The passage lifecycle, in one place. Every path that changes a passage's labels calls here.

A passage is **open** while it has fewer labels and holds than it needs (the project's overlap
k, plus one when its annotators disagreed and the project asked for another opinion): in the
FRESH queue while nobody has it, in STARTED once somebody has. It is **held** for an annotator
while their hold lasts (assignment.service). It is **complete** once it has the labels it needs;
then its agreement per field is stored where the review queue reads it (passage_agreement),
and it **awaits review** when its annotators disagree, until a reviewer **decides** it.

The counters these states are read from (Passage.label_count, assigned_count, queue,
extra_labels; each annotator's totals in AnnotatorState) change through three doors:

- a label at a time, from the annotate screen and the API: assignment.service changes the
  counters with guarded UPDATEs built from `queue_after` and `NEEDED`, then `label_added` or
  `label_replaced` here;
- a chunk of imported label sets at a time: `labels_imported`;
- many passages at once (a new k, a new schema, a restore): `labels_changed`, which counts
  everything again from the labels themselves (`recount_progress`, also the tests' oracle).

How the database keeps these right under concurrency is told in docs/architecture.md."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation, Skip
from annotator.assignment.models import AnnotatorState
from annotator.assignment.passage_agreement import (
    label_agreement,
    lowest_agreement,
    rebuild_agreement,
    settle,
    store_agreement,
)
from annotator.db import insert_ignoring_conflicts
from annotator.documents.models import FRESH, STARTED, Passage
from annotator.projects.models import Project

_passage = Passage.__table__

# How many labels the passage being updated needs: the project's k, plus one when its
# annotators disagreed too much and the project asks for another opinion.
NEEDED = (
    sa.select(Project.overlap_k).where(Project.id == _passage.c.project_id).scalar_subquery() + _passage.c.extra_labels
)
HAS_ROOM = sa.and_(_passage.c.queue.is_not(None), _passage.c.label_count + _passage.c.assigned_count < NEEDED)
_ONE_MORE = (
    _passage.update()
    .where(_passage.c.id == sa.bindparam("passage_id"), _passage.c.extra_labels == 0, _passage.c.annotatable)
    .values(extra_labels=1, queue=STARTED)
)
_UPDATE_PASSAGE = _passage.update().where(_passage.c.id == sa.bindparam("where_id"))


def queue_after(label_delta: int, assigned_delta: int):
    """The queue a passage belongs in once its counts change by these amounts (SQL, on the
    row's values before the UPDATE): none when full or excluded, else fresh or started."""
    taken = _passage.c.label_count + label_delta + _passage.c.assigned_count + assigned_delta
    return sa.case(
        (sa.not_(_passage.c.annotatable), sa.null()), (taken >= NEEDED, sa.null()), (taken == 0, FRESH), else_=STARTED
    )


def queue_of(taken: int, needed: int, annotatable: bool = True) -> int | None:
    """The same rule as `queue_after`, for counts already in hand."""
    if not annotatable or taken >= needed:
        return None
    return FRESH if taken == 0 else STARTED


# --- a label at a time -------------------------------------------------------------------------


def label_added(session: so.Session, project: Project, passage_id: int, label_count: int, needed: int) -> bool:
    """A new label was counted (the passage now has `label_count` of the `needed`). Once it
    has them all: its agreement goes where the review queue reads it, and, when the project
    asks for it, a passage whose annotators agree less than the threshold goes back to the pool
    for one more annotator (once). Returns whether this label completed the passage."""
    if label_count < needed:
        return False
    found = label_agreement(session, project, passage_id)
    threshold = project.extra_annotator_below
    one_more = (
        label_count == needed
        and threshold is not None
        and lowest_agreement(found) < threshold
        and session.connection().execute(_ONE_MORE, {"passage_id": passage_id}).rowcount == 1
    )
    store_agreement(session, project, passage_id, found, complete=not one_more)
    return label_count == needed and not one_more


def label_replaced(session: so.Session, project: Project, passage_id: int, label_count: int, needed: int) -> None:
    """An annotator changed their earlier label: a complete passage's agreement is measured again."""
    if label_count >= needed:
        store_agreement(session, project, passage_id, label_agreement(session, project, passage_id), complete=True)


def passage_decided(session: so.Session, passage_id: int) -> None:
    """A reviewer decided the passage: it leaves the review queue."""
    settle(session, passage_id)


# --- a chunk of imported labels --------------------------------------------------------------


@dataclass(frozen=True)
class NewLabel:
    passage_id: int
    user_id: int


def labels_imported(session: so.Session, project: Project, added: list[NewLabel], touched: list[int]) -> None:
    """Label sets came in from a file: per passage its label count and queue, per annotator
    their totals (first and completing labels credited in file order); then the agreement of
    every passage whose labels changed (`touched`)."""
    if added:
        _count_new_labels(session, project, added)
    if touched:
        rebuild_agreement(session, project, touched)


def _count_new_labels(session, project: Project, added: list[NewLabel]) -> None:
    connection = session.connection()
    ids = sorted({label.passage_id for label in added})
    passages = {
        row.id: row
        for row in connection.execute(
            sa.select(_passage.c.id, _passage.c.label_count, _passage.c.assigned_count, _passage.c.extra_labels)
            .where(_passage.c.id.in_(ids))
            .with_for_update()
        )
    }
    credits: dict[int, dict[str, int]] = {}
    counts = {passage_id: passages[passage_id].label_count for passage_id in ids}
    for label in added:
        counts[label.passage_id] += 1
        needed = project.overlap_k + passages[label.passage_id].extra_labels
        credit = credits.setdefault(label.user_id, {"labels": 0, "started": 0, "completed": 0})
        credit["labels"] += 1
        credit["started"] += counts[label.passage_id] == 1
        credit["completed"] += counts[label.passage_id] == needed
    connection.execute(
        _UPDATE_PASSAGE,
        [
            {
                "where_id": passage_id,
                "label_count": count,
                "queue": queue_of(
                    count + passages[passage_id].assigned_count, project.overlap_k + passages[passage_id].extra_labels
                ),
            }
            for passage_id, count in counts.items()
        ],
    )
    _credit_annotators(session, project, credits)


def _credit_annotators(session, project: Project, credits: dict[int, dict[str, int]]) -> None:
    state = AnnotatorState.__table__
    for user_id, credit in credits.items():
        insert_ignoring_conflicts(
            session,
            state,
            {
                "project_id": project.id,
                "user_id": user_id,
                "holds_slot": False,
                "labels": 0,
                "skips": 0,
                "started": 0,
                "completed": 0,
            },
            ["project_id", "user_id"],
        )
        session.connection().execute(
            state.update()
            .where(state.c.project_id == project.id, state.c.user_id == user_id)
            .values(**{name: getattr(state.c, name) + amount for name, amount in credit.items()})
        )


# --- many passages at once -------------------------------------------------------------------


def labels_changed(session: so.Session, project: Project, passage_ids: Iterable[int] | None = None) -> None:
    """What a new k, a new schema or a restore changes: every counter counted again from the
    labels, skips and holds, and the agreement of these passages (all the project's when None)
    measured again. An admin action, not a per-request one: it reads the whole project."""
    recount_progress(session, project)
    rebuild_agreement(session, project, passage_ids)


def recount_progress(session: so.Session, project: Project) -> None:
    """Set every counter of the project from the annotations, skips and holds (one pass over
    each): the counters kept request by request must always agree with this."""
    _recount_passages(session, project)
    _recount_annotators(session, project)
    project.annotatable_passages = session.scalar(
        sa.select(sa.func.count()).where(Passage.project_id == project.id, Passage.annotatable)
    )
    session.flush()


def _recount_passages(session, project: Project) -> None:
    labels = sa.select(sa.func.count()).where(Annotation.passage_id == Passage.id).scalar_subquery()
    holds = (
        sa.select(sa.func.count())
        .where(AnnotatorState.passage_id == Passage.id, AnnotatorState.holds_slot)
        .scalar_subquery()
    )
    in_project = _passage.c.project_id == project.id
    session.execute(_passage.update().where(in_project).values(label_count=labels, assigned_count=holds))
    session.execute(_passage.update().where(in_project).values(queue=queue_after(0, 0)))


def _recount_annotators(session, project: Project) -> None:
    """Labels and skips per annotator; `started` and `completed` credit the first and the
    k-th label of each passage, in the order they were stored."""
    workers = sa.union(
        sa.select(Annotation.user_id).where(Annotation.project_id == project.id),
        sa.select(Skip.user_id).where(Skip.project_id == project.id),
    )
    for user_id in session.scalars(sa.select(workers.subquery().c.user_id)):
        insert_ignoring_conflicts(
            session,
            AnnotatorState.__table__,
            {
                "project_id": project.id,
                "user_id": user_id,
                "holds_slot": False,
                "labels": 0,
                "skips": 0,
                "started": 0,
                "completed": 0,
            },
            ["project_id", "user_id"],
        )
    ranked = (
        sa.select(
            Annotation.user_id,
            (project.overlap_k + Passage.extra_labels).label("needed"),
            sa.func.row_number().over(partition_by=Annotation.passage_id, order_by=Annotation.id).label("n"),
        )
        .join(Passage, Passage.id == Annotation.passage_id)
        .where(Annotation.project_id == project.id)
        .subquery()
    )
    mine = AnnotatorState.user_id
    session.execute(
        sa.update(AnnotatorState)
        .where(AnnotatorState.project_id == project.id)
        .values(
            labels=sa.select(sa.func.count())
            .where(Annotation.project_id == project.id, Annotation.user_id == mine)
            .scalar_subquery(),
            skips=sa.select(sa.func.count())
            .where(Skip.project_id == project.id, Skip.user_id == mine)
            .scalar_subquery(),
            started=sa.select(sa.func.count()).where(ranked.c.user_id == mine, ranked.c.n == 1).scalar_subquery(),
            completed=sa.select(sa.func.count())
            .where(ranked.c.user_id == mine, ranked.c.n == ranked.c.needed)
            .scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )
