"""Gold on the annotate path: what an annotator is handed and where their answer goes, with
quality control in front of assignment (annotator.assignment.service, unchanged).

- A paused annotator gets nothing (Paused) until an admin resumes them.
- An annotator who must pass onboarding gets the onboarding passages, with feedback after each.
- Otherwise one passage in `project.gold_every` is a gold passage they have neither labelled nor
  answered; it is handed over as any passage is (the same row, the same screen), and their answer
  is scored, never stored as a label: progress, agreement and gold labels do not see it.
- Everything else goes to assignment as before.

The annotator's standing row is locked first on both paths (then assignment locks its own state
row), so one annotator's requests run one after the other. Services flush; the caller commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.annotations.models import Annotation
from annotator.annotations.recording import Recorded, Submission, checked_labels
from annotator.assignment.models import AnnotatorState
from annotator.assignment.progress import own_progress
from annotator.assignment.service import PASSAGE_COLUMNS, NotAssigned, next_passage, skip_passage, submit_labels
from annotator.documents.models import Passage
from annotator.projects.access import refuse_if_archived
from annotator.projects.models import Project
from annotator.projects.schema_store import schema_of
from annotator.quality.models import AnnotatorQuality, GoldAnswer, GoldPassage
from annotator.quality.onboarding import Feedback, needs_onboarding, next_onboarding_gold, record_onboarding_answer
from annotator.quality.scoring import score_answer
from annotator.quality.standing import Paused, count_gold_answer, find_standing, lock_standing
from annotator.users.models import User

NOT_ONBOARDED = "finish the onboarding round first: ask for the next passage"


@dataclass(frozen=True)
class Answered:
    """What a submit did: `recorded` for a label or a gold answer (the annotator cannot tell them
    apart), `feedback` after an onboarding answer."""

    recorded: Recorded
    feedback: Feedback | None = None


def uses_quality(project: Project) -> bool:
    """Whether the project mixes in gold, pauses, or onboards (else a missing standing row means
    there is nothing to check)."""
    return bool(project.gold_every or project.pause_below is not None or project.onboarding_required)


def next_for_annotator(
    session: so.Session, project: Project, user: User, now: datetime, hold: timedelta
) -> sa.Row | None:
    """The passage to show the annotator now (a row of assignment's PASSAGE_COLUMNS): their
    onboarding passage, a gold check, or the next real passage. Raises Paused, OnboardingFailed."""
    refuse_if_archived(project)
    standing = _standing(session, project, user)
    if standing is None:
        return next_passage(session, project, user, now, hold)
    if standing.paused_at is not None:
        raise Paused()
    pending = _pending_gold(session, standing)
    if pending is not None:
        return _passage_row(session, pending.passage_id)
    if needs_onboarding(session, project, standing):
        return _hand_over(session, standing, next_onboarding_gold(session, project, user.id, now))
    gold = _gold_due(session, project, standing)
    if gold is not None:
        return _hand_over(session, standing, gold)
    return next_passage(session, project, user, now, hold)


def submit_answer(
    session: so.Session, project: Project, passage: Passage, user: User, submission: Submission, now: datetime
) -> Answered:
    """Store the annotator's answer: scored against gold when the passage is the gold on their
    screen, else a label (assignment.submit_labels). Raises Paused, NotAssigned, LabelError."""
    refuse_if_archived(project)
    standing = _standing(session, project, user)
    if standing is None:
        return Answered(submit_labels(session, project, passage, user, submission, now))
    if standing.paused_at is not None:
        raise Paused()
    pending = _pending_gold(session, standing)
    if pending is not None and pending.passage_id == passage.id:
        return _answer_gold(session, project, standing, pending, submission, now)
    if needs_onboarding(session, project, standing):
        raise NotAssigned(NOT_ONBOARDED)
    return Answered(submit_labels(session, project, passage, user, submission, now))


def skip_answer(
    session: so.Session, project: Project, passage: Passage, user: User, reason: str, now: datetime
) -> None:
    """Pass on the passage on the annotator's screen: a gold check is let go as any passage
    would be (nothing is scored, another comes later); onboarding passages cannot be skipped."""
    refuse_if_archived(project)
    standing = _standing(session, project, user)
    if standing is not None and standing.paused_at is not None:
        raise Paused()
    pending = _pending_gold(session, standing) if standing is not None else None
    if pending is None or pending.passage_id != passage.id:
        return skip_passage(session, project, passage, user, reason, now)
    if pending.onboarding:
        raise NotAssigned("onboarding passages cannot be skipped: answer it, and you will see the right answer")
    standing.pending_gold_id = None
    session.flush()


def own_progress_with_gold(session: so.Session, project: Project, user: User) -> tuple[int, int]:
    """The annotator's labels (gold checks answered included, so that their count does not tell
    a check from a passage) and skips."""
    labels, skips = own_progress(session, project, user)
    answered = session.scalar(
        sa.select(sa.func.count()).where(GoldAnswer.project_id == project.id, GoldAnswer.user_id == user.id)
    )
    return labels + answered, skips


def is_paused(session: so.Session, project: Project, user: User) -> bool:
    standing = find_standing(session, project.id, user.id)
    return standing is not None and standing.paused_at is not None


# --- gold on the annotate path ---------------------------------------------------------------


def _standing(session, project: Project, user: User) -> AnnotatorQuality | None:
    if uses_quality(project):
        return lock_standing(session, project.id, user.id)
    return find_standing(session, project.id, user.id, lock=True)  # paused under earlier settings


def _pending_gold(session, standing: AnnotatorQuality) -> GoldPassage | None:
    return session.get(GoldPassage, standing.pending_gold_id) if standing.pending_gold_id else None


def _gold_due(session, project: Project, standing: AnnotatorQuality) -> GoldPassage | None:
    """A gold passage when one is due: after every `gold_every - 1` labels, and never while a
    real passage is held for the annotator (it stays theirs)."""
    if not project.gold_every:
        return None
    state = session.execute(
        sa.select(AnnotatorState.labels, AnnotatorState.passage_id).where(
            AnnotatorState.project_id == project.id, AnnotatorState.user_id == standing.user_id
        )
    ).first()
    labels, held = (state.labels, state.passage_id) if state else (0, None)
    due = labels // (project.gold_every - 1)
    if held is not None or due <= standing.gold_served:
        return None
    gold = _unseen_gold(session, project.id, standing.user_id)
    if gold is not None:
        standing.gold_served = due
    return gold


def _unseen_gold(session, project_id: int, user_id: int) -> GoldPassage | None:
    """A gold passage of the project, picked at random so that checks cannot be told by their
    place, which the annotator has neither answered nor labelled."""
    answered = sa.exists().where(GoldAnswer.gold_passage_id == GoldPassage.id, GoldAnswer.user_id == user_id)
    labelled = sa.exists().where(Annotation.passage_id == GoldPassage.passage_id, Annotation.user_id == user_id)
    query = sa.select(GoldPassage).where(
        GoldPassage.project_id == project_id, ~GoldPassage.onboarding, ~answered, ~labelled
    )
    return session.scalar(query.order_by(sa.func.random()).limit(1))


def _hand_over(session, standing: AnnotatorQuality, gold: GoldPassage | None) -> sa.Row | None:
    if gold is None:
        return None
    standing.pending_gold_id = gold.id
    session.flush()
    return _passage_row(session, gold.passage_id)


def _passage_row(session, passage_id: int) -> sa.Row:
    return session.execute(sa.select(*PASSAGE_COLUMNS).where(Passage.__table__.c.id == passage_id)).one()


def _answer_gold(session, project: Project, standing, gold: GoldPassage, submission: Submission, now) -> Answered:
    labels = checked_labels(session, project, gold.passage_id, submission.labels)
    scores = score_answer(gold.labels, labels, _scored_fields(session, project, gold.labels))
    standing.pending_gold_id = None
    recorded = Recorded(labels, submission.note, submission.unsure, now, created=True, changed=True)
    if gold.onboarding:
        feedback = record_onboarding_answer(session, project, standing, gold, labels, scores, project.guidelines, now)
        return Answered(recorded, feedback)
    session.add(
        GoldAnswer(
            project_id=project.id,
            gold_passage_id=gold.id,
            user_id=standing.user_id,
            labels=labels,
            scores=scores,
            answered_at=now,
        )
    )
    count_gold_answer(session, project, standing, scores, now)
    return Answered(recorded)


def _scored_fields(session, project: Project, gold_labels: dict) -> list[str]:
    """The fields a gold answer is scored on: those asked for it, free text aside."""
    return [field.name for field in schema_of(session, project).asked(gold_labels) if field.TYPE != "text"]
