"""How many lines the `passages`, `annotations`, `audit` and `backup` exports give, counted over
the project's indexed rows without running the export, so the exports page can say it before
anything is downloaded (the `training` count is training_selection's). Tests hold every count
equal to the lines its export writes."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import AdjudicationEvent
from annotator.annotations.models import Annotation, AnnotationEvent
from annotator.documents.models import Passage
from annotator.exporting.backup import PROJECT_TABLES, people_of
from annotator.projects.models import Project
from annotator.users.models import User


def line_counts(session: so.Session, project: Project, backup: bool = True) -> dict[str, int]:
    """Lines of each of these exports (the audit's header and the backup's included); the
    backup's only when asked, as it reads through the whole event log for the people it names."""
    passages, annotations, annotation_events, adjudication_events = (
        _rows(session, model, project) for model in (Passage, Annotation, AnnotationEvent, AdjudicationEvent)
    )
    counts = {"passages": passages, "annotations": annotations, "audit": 1 + annotation_events + adjudication_events}
    return counts | ({"backup": _backup_lines(session, project)} if backup else {})


def _rows(session: so.Session, model, project: Project) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(model.project_id == project.id))


def _backup_lines(session: so.Session, project: Project) -> int:
    """The header, the accounts, the project, then every row of its tables."""
    accounts = session.scalar(sa.select(sa.func.count()).select_from(User).where(User.id.in_(people_of(project))))
    return 1 + accounts + 1 + sum(_rows(session, model, project) for model in PROJECT_TABLES)
