"""Recounting a project's assignment counters from the labels themselves: after the overlap
k changes, after labels are imported in bulk, and in tests as the oracle the counters kept
request by request must agree with."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation, Skip
from annotator.assignment.models import AnnotatorState
from annotator.db import insert_ignoring_conflicts
from annotator.documents.models import FRESH, STARTED, Passage
from annotator.projects.models import Project


def recount_progress(session: so.Session, project: Project) -> None:
    """Set every counter of the project from the annotations, skips and holds (one pass over
    each; an admin action, not a per-request one)."""
    _recount_passages(session, project)
    _recount_annotators(session, project)
    project.annotatable_passages = session.scalar(
        sa.select(sa.func.count()).where(Passage.project_id == project.id, Passage.annotatable)
    )
    session.flush()


def _recount_passages(session, project: Project) -> None:
    labels = sa.select(sa.func.count()).where(Annotation.passage_id == Passage.id).scalar_subquery()
    holds = sa.select(sa.func.count()).where(
        AnnotatorState.passage_id == Passage.id, AnnotatorState.holds_slot
    ).scalar_subquery()
    in_project = Passage.project_id == project.id
    session.execute(sa.update(Passage).where(in_project).values(label_count=labels, assigned_count=holds)
                    .execution_options(synchronize_session=False))
    taken = Passage.label_count + Passage.assigned_count
    queue = sa.case(
        (sa.not_(Passage.annotatable), sa.null()), (taken >= project.overlap_k + Passage.extra_labels, sa.null()),
        (taken == 0, FRESH), else_=STARTED,
    )
    session.execute(sa.update(Passage).where(in_project).values(queue=queue)
                    .execution_options(synchronize_session=False))


def _recount_annotators(session, project: Project) -> None:
    """Labels and skips per annotator; `started` and `completed` credit the first and the
    k-th label of each passage, in the order they were stored."""
    workers = sa.union(
        sa.select(Annotation.user_id).where(Annotation.project_id == project.id),
        sa.select(Skip.user_id).where(Skip.project_id == project.id),
    )
    for user_id in session.scalars(sa.select(workers.subquery().c.user_id)):
        insert_ignoring_conflicts(session, AnnotatorState.__table__, {
            "project_id": project.id, "user_id": user_id, "holds_slot": False,
            "labels": 0, "skips": 0, "started": 0, "completed": 0,
        }, ["project_id", "user_id"])
    ranked = (
        sa.select(Annotation.user_id, (project.overlap_k + Passage.extra_labels).label("needed"),
                  sa.func.row_number().over(partition_by=Annotation.passage_id, order_by=Annotation.id).label("n"))
        .join(Passage, Passage.id == Annotation.passage_id)
        .where(Annotation.project_id == project.id).subquery()
    )
    mine = AnnotatorState.user_id
    session.execute(
        sa.update(AnnotatorState).where(AnnotatorState.project_id == project.id).values(
            labels=sa.select(sa.func.count()).where(Annotation.project_id == project.id, Annotation.user_id == mine).scalar_subquery(),
            skips=sa.select(sa.func.count()).where(Skip.project_id == project.id, Skip.user_id == mine).scalar_subquery(),
            started=sa.select(sa.func.count()).where(ranked.c.user_id == mine, ranked.c.n == 1).scalar_subquery(),
            completed=sa.select(sa.func.count()).where(ranked.c.user_id == mine, ranked.c.n == ranked.c.needed).scalar_subquery(),
        ).execution_options(synchronize_session=False)
    )
