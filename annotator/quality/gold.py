"""Gold passages: promoted from a reviewer's decision or imported, each with an optional
explanation; flagged for onboarding or mixed into queues. Services flush; the caller commits."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.adjudications import Adjudication
from annotator.annotations.recording import checked_labels
from annotator.documents.models import Passage
from annotator.domain_errors import Conflict, NotFound
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.quality.models import GoldPassage
from annotator.users.models import User

MAX_EXPLANATION = 5000


class NotDecided(Conflict):
    """Only a passage a reviewer decided can be promoted to gold."""


def gold_of(session: so.Session, passage_id: int) -> GoldPassage | None:
    """The passage's gold, if it is a gold passage."""
    return session.scalar(sa.select(GoldPassage).where(GoldPassage.passage_id == passage_id))


def promote_to_gold(
    session: so.Session, project: Project, passage_id: int, reviewer: User, explanation: str, onboarding: bool
) -> GoldPassage:
    """Make a decided passage gold: its answer is the reviewer's decision as it stands now.
    Promoting again takes the decision's current labels and the new explanation."""
    refuse_if_archived(project)
    decision = session.scalar(sa.select(Adjudication).where(Adjudication.passage_id == passage_id))
    if decision is None or decision.project_id != project.id:
        raise NotDecided("only a passage a reviewer has decided can become gold: decide it first")
    return _store(session, project, passage_id, decision.labels, explanation, onboarding, "review", reviewer.id)


def add_imported_gold(
    session: so.Session,
    project: Project,
    passage_id: int,
    labels: dict,
    explanation: str = "",
    onboarding: bool = False,
    actor_id: int | None = None,
) -> GoldPassage:
    """Gold from a file of known answers (`annotator import-annotations --gold`), checked
    against the schema as any label set is."""
    refuse_if_archived(project)
    if session.get(Passage, passage_id) is None:
        raise NotFound(f"passage {passage_id} not found")
    labels = checked_labels(session, project, passage_id, labels)
    return _store(session, project, passage_id, labels, explanation, onboarding, "import", actor_id)


def remove_gold(session: so.Session, project: Project, passage_id: int) -> bool:
    """The passage is no longer gold (answers already scored on it go with it); whether it was."""
    refuse_if_archived(project)
    gold = gold_of(session, passage_id)
    if gold is None or gold.project_id != project.id:
        return False
    session.delete(gold)
    session.flush()
    return True


def gold_passages(session: so.Session, project_id: int) -> list[GoldPassage]:
    """A project's gold passages, oldest first."""
    return list(session.scalars(sa.select(GoldPassage).where(GoldPassage.project_id == project_id).order_by("id")))


def _store(session, project, passage_id, labels, explanation, onboarding, source, actor_id) -> GoldPassage:
    gold = gold_of(session, passage_id)
    if gold is None:
        gold = GoldPassage(project_id=project.id, passage_id=passage_id, source=source, created_by=actor_id)
        session.add(gold)
    gold.labels, gold.onboarding = labels, bool(onboarding)
    gold.explanation = (explanation or "").strip()[:MAX_EXPLANATION]
    session.flush()
    return gold
