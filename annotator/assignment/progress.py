"""Progress figures, read from the totals assignment keeps: their cost depends on the number of
annotators, not on the number of passages or labels."""

import statistics
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation
from annotator.assignment.models import AnnotatorState
from annotator.documents.models import Passage
from annotator.projects.models import Project
from annotator.users.models import User

RECENT_LABELS = 500  # the pace shown is that of an annotator's latest labels


@dataclass(frozen=True)
class ProjectProgress:
    passages: int  # annotatable passages
    labels: int  # label sets stored
    complete: int  # passages with k labels
    in_progress: int  # labelled by fewer than k annotators, or being labelled now
    skips: int

    @property
    def open(self) -> int:
        return max(self.passages - self.complete - self.in_progress, 0)

    @property
    def percent_complete(self) -> float:
        return 100.0 * self.complete / self.passages if self.passages else 0.0


@dataclass(frozen=True)
class AnnotatorProgress:
    user_id: int
    username: str
    labels: int
    skips: int
    median_seconds: float | None


def project_progress(session: so.Session, project: Project) -> ProjectProgress:
    labels, skips, started, complete = session.execute(
        sa.select(
            *(
                sa.func.coalesce(sa.func.sum(column), 0)
                for column in (
                    AnnotatorState.labels,
                    AnnotatorState.skips,
                    AnnotatorState.started,
                    AnnotatorState.completed,
                )
            )
        ).where(AnnotatorState.project_id == project.id)
    ).one()
    held_unlabelled = session.scalar(
        sa.select(sa.func.count(sa.distinct(AnnotatorState.passage_id)))
        .join(Passage, Passage.id == AnnotatorState.passage_id)
        .where(AnnotatorState.project_id == project.id, AnnotatorState.holds_slot, Passage.label_count == 0)
    )
    return ProjectProgress(project.annotatable_passages, labels, complete, started - complete + held_unlabelled, skips)


def own_progress(session: so.Session, project: Project, user: User) -> tuple[int, int]:
    """The annotator's labels and skips in the project."""
    row = session.execute(
        sa.select(AnnotatorState.labels, AnnotatorState.skips).where(
            AnnotatorState.project_id == project.id, AnnotatorState.user_id == user.id
        )
    ).first()
    return tuple(row) if row else (0, 0)


def annotator_progress(session: so.Session, project: Project) -> list[AnnotatorProgress]:
    """Per annotator: labels, skips and the median seconds per passage of their latest labels."""
    rows = session.execute(
        sa.select(AnnotatorState.user_id, User.username, AnnotatorState.labels, AnnotatorState.skips)
        .join(User, User.id == AnnotatorState.user_id)
        .where(AnnotatorState.project_id == project.id)
        .order_by(User.username)
    ).all()
    return [
        AnnotatorProgress(
            row.user_id, row.username, row.labels, row.skips, _median_seconds(session, project, row.user_id)
        )
        for row in rows
    ]


def _median_seconds(session, project: Project, user_id: int) -> float | None:
    recent = session.scalars(
        sa.select(Annotation.seconds)
        .where(Annotation.project_id == project.id, Annotation.user_id == user_id)
        .order_by(Annotation.id.desc())
        .limit(RECENT_LABELS)
    )
    seconds = [value for value in recent if value is not None]
    return statistics.median(seconds) if seconds else None
