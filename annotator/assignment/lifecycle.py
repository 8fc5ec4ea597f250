"""The passage lifecycle, in one place. Every path that changes a passage's labels calls here.

A passage is **open** while it has fewer labels and holds than it needs (the project's overlap
k, plus one for each time its annotators disagreed and the project asked for another opinion,
up to its k-max: assignment.overlap): in the
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
from annotator.assignment.overlap import Overlap
from annotator.assignment.passage_agreement import (
    forget_agreement,
    label_agreement,
    lowest_agreement,
    out_of_review,
    rebuild_agreement,
    settle,
    store_agreement,
)
from annotator.db import insert_ignoring_conflicts
from annotator.documents.models import FRESH, STARTED, Passage
from annotator.projects.models import Project

_passage = Passage.__table__

# How many labels the passage being updated needs: the project's k, plus one for each time its
# annotators disagreed too much and the project asked for another opinion (extra_labels).
NEEDED = (
    sa.select(Project.overlap_k).where(Project.id == _passage.c.project_id).scalar_subquery() + _passage.c.extra_labels
)
HAS_ROOM = sa.and_(_passage.c.queue.is_not(None), _passage.c.label_count + _passage.c.assigned_count < NEEDED)
# One more annotator for a passage that has just got the labels it needed (its row is locked by
# the UPDATE that counted the label): guarded on the extra labels it had, so it happens once.
_ONE_MORE = (
    _passage.update()
    .where(
        _passage.c.id == sa.bindparam("passage_id"),
        _passage.c.extra_labels == sa.bindparam("extra_before"),
        _passage.c.annotatable,
    )
    .values(extra_labels=_passage.c.extra_labels + 1, queue=STARTED)
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
    has them all: its agreement goes where the review queue reads it, and, when the project's
    overlap asks for it (Overlap.one_more: agreement below the threshold, fewer than k-max
    labels), the passage goes back to the pool for one more annotator, and keeps no agreement
    until it is complete again (as a passage short of its k). Returns whether this label
    completed the passage."""
    if label_count < needed:
        return False
    found = label_agreement(session, project, passage_id)
    one_more = (
        label_count == needed
        and Overlap.of(project).one_more(label_count, lowest_agreement(found))
        and session.connection()
        .execute(_ONE_MORE, {"passage_id": passage_id, "extra_before": needed - project.overlap_k})
        .rowcount
        == 1
    )
    if one_more:  # back in the pool: its agreement is measured again when it has the next label
        forget_agreement(session, passage_id)
        return False
    store_agreement(session, project, passage_id, found, complete=True)
    return label_count == needed


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


# --- corrections: passages leaving and joining the pool --------------------------------------

_state = AnnotatorState.__table__
_GIVE_BACK = (
    _passage.update()
    .where(_passage.c.id == sa.bindparam("passage_id"), _passage.c.assigned_count > 0)
    .values(assigned_count=_passage.c.assigned_count - 1, queue=queue_after(0, -1))
)


def holds_released(session: so.Session, passage_ids: list[int], let_go: bool) -> int:
    """Give back every hold on these passages (before an admin excludes, merges, splits or
    removes them); returns how many. The holders' state rows are locked first, in id order,
    then the passages: the order every assignment request takes its locks in, so an
    annotator's request in flight finishes first and the two never deadlock. With `let_go`
    the annotators no longer have the passage at all (its text is about to change or vanish);
    without, their state still names it, so that a submit is told it was excluded."""
    if not passage_ids:
        return 0
    connection = session.connection()
    holders = connection.execute(
        sa.select(_state.c.id, _state.c.passage_id, _state.c.holds_slot)
        .where(_state.c.passage_id.in_(passage_ids))
        .order_by(_state.c.id)
        .with_for_update()
    ).all()
    released = 0
    for holder in holders:
        gone = {"passage_id": None, "assigned_at": None} if let_go else {}
        connection.execute(
            _state.update().where(_state.c.id == holder.id).values(holds_slot=False, expires_at=None, **gone)
        )
        if holder.holds_slot:
            released += connection.execute(_GIVE_BACK, {"passage_id": holder.passage_id}).rowcount
    return released


def passages_excluded(session: so.Session, project: Project, passage_ids: list[int], reason: str) -> int:
    """Take these passages out of annotation at once, for `reason`: their holds given back
    (holders keep the passage's name, so their submit is refused as excluded: see
    assignment.service), the passages out of every queue (review too), the project's count of annotatable
    passages down. Labels already given stay (label_count too: a recount counts them). Returns
    how many were annotatable."""
    holds_released(session, passage_ids, let_go=False)
    excluded = (
        session.connection()
        .execute(
            _passage.update()
            .where(_passage.c.id.in_(passage_ids), _passage.c.annotatable)
            .values(annotatable=False, excluded_reason=reason, queue=None)
        )
        .rowcount
    )
    annotatable_changed(session, project, -excluded)
    out_of_review(session, passage_ids)
    return excluded


def passage_included(session: so.Session, project: Project, passage_id: int) -> bool:
    """Hand an excluded passage out again: annotatable, back in the queue its counts put it in
    (it may already have all its labels, and await review again). Returns whether it was excluded."""
    connection = session.connection()
    included = connection.execute(
        _passage.update()
        .where(_passage.c.id == passage_id, sa.not_(_passage.c.annotatable))
        .values(annotatable=True, excluded_reason=None, duplicate_of_id=None)
    ).rowcount
    if included:
        passage_requeued(session, passage_id)
        annotatable_changed(session, project, 1)
        rebuild_agreement(session, project, [passage_id])
    return bool(included)


def passage_requeued(session: so.Session, passage_id: int) -> None:
    """A passage whose text or status an admin changed goes in the queue its counts put it in."""
    session.connection().execute(_passage.update().where(_passage.c.id == passage_id).values(queue=queue_after(0, 0)))


def annotatable_changed(session: so.Session, project: Project, delta: int) -> None:
    """The project's count of annotatable passages moves by `delta` (one UPDATE relative to the
    stored value, so concurrent imports and corrections add up)."""
    if delta:
        project_table = Project.__table__
        session.connection().execute(
            project_table.update()
            .where(project_table.c.id == project.id)
            .values(annotatable_passages=project_table.c.annotatable_passages + delta)
        )
        session.expire(project, ["annotatable_passages"])
