"""Gold on the annotate path: what an annotator is handed and where their answer goes, with
quality control in front of assignment (annotator.assignment.service, unchanged).

- A paused annotator gets nothing (Paused) until an admin resumes them.
- An annotator who must pass onboarding gets the onboarding passages, with feedback after each.
- Otherwise one passage in `project.gold_every` is a gold passage they have neither labelled nor
  answered; it is handed over as any passage is (the same row, the same screen), and their answer
  is scored, never stored as a label: progress, agreement and gold labels do not see it.
- Everything else goes to assignment as before.

The annotator's standing row is locked first on both paths (then assignment locks its own state
row), so one annotator's requests run one after the other; that one locked read (Core, see
annotator.quality.standing) also says whether a check is due. A project that checks nothing
reads no standing beyond one unlocked look for a pause or a check left from earlier settings.
Services flush; the caller commits."""

import random
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
from annotator.quality.standing import (
    Paused,
    Standing,
    count_gold_answer,
    find_standing,
    gold_handed_over,
    gold_let_go,
    has_left_over_standing,
    standing_on_the_path,
)
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
        gold = next_onboarding_gold(session, project, user.id, now)
        return _hand_over(session, standing, gold, standing.gold_served) if gold is not None else None
    due = _checks_due(project, standing)
    gold = _unseen_gold(session, project.id, user.id) if due is not None and not _holds(session, standing) else None
    if gold is not None:
        return _hand_over(session, standing, gold, due)
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
    gold_let_go(session, standing)


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

_gold, _answer, _annotation = GoldPassage.__table__, GoldAnswer.__table__, Annotation.__table__
_param = sa.bindparam
_MIXED_IN = sa.and_(_gold.c.project_id == _param("project_id"), _gold.c.onboarding == sa.false())
# The ends of the project's mixed-in gold ids (two lookups at the ends of its index).
_GOLD_ID_RANGE = sa.select(
    sa.select(sa.func.min(_gold.c.id)).where(_MIXED_IN).scalar_subquery(),
    sa.select(sa.func.max(_gold.c.id)).where(_MIXED_IN).scalar_subquery(),
)


def _first_unseen_gold(from_start: bool) -> sa.Select:
    """The first mixed-in gold passage from a starting id (or before it, `from_start` False),
    that the annotator has neither answered nor labelled: a walk along the project's gold index
    that passes over only the gold this annotator has already seen."""
    answered = sa.exists().where(_answer.c.gold_passage_id == _gold.c.id, _answer.c.user_id == _param("user_id"))
    labelled = sa.exists().where(
        _annotation.c.passage_id == _gold.c.passage_id, _annotation.c.user_id == _param("user_id")
    )
    start = _gold.c.id >= _param("start") if from_start else _gold.c.id < _param("start")
    return (
        sa.select(_gold.c.id, _gold.c.passage_id)
        .where(_MIXED_IN, start, ~answered, ~labelled)
        .order_by(_gold.c.id)
        .limit(1)
    )


_UNSEEN_GOLD_FROM, _UNSEEN_GOLD_BEFORE = _first_unseen_gold(True), _first_unseen_gold(False)
_PENDING_GOLD = sa.select(_gold.c.id, _gold.c.passage_id, _gold.c.labels, _gold.c.onboarding).where(
    _gold.c.id == _param("gold_id")
)
_pick = random.Random()
_state = AnnotatorState.__table__
_HELD = sa.select(_state.c.passage_id).where(
    _state.c.project_id == _param("project_id"), _state.c.user_id == _param("user_id")
)


def _standing(session, project: Project, user: User) -> Standing | None:
    if uses_quality(project) or has_left_over_standing(session, project.id, user.id):
        return standing_on_the_path(session, project.id, user.id)
    return None  # nothing to check: no standing read, locked or written


def _checks_due(project: Project, standing: Standing) -> int | None:
    """The number of gold checks the annotator is due once one more is handed over, when one is
    due: after every `gold_every - 1` labels, and never while a real passage is held for them
    (it stays theirs)."""
    if not project.gold_every or standing.held_passage_id is not None:
        return None
    due = standing.labels // (project.gold_every - 1)
    return due if due > standing.gold_served else None


def _holds(session, standing: Standing) -> bool:
    """Whether a real passage is held for the annotator, read afresh now that their standing is
    locked: the standing's own read began before the lock was granted, so on PostgreSQL a
    request of theirs that finished meanwhile (a double click) may not show in it. The label
    count read there can only be behind, which delays a check and never hands one early."""
    key = {"project_id": standing.project_id, "user_id": standing.user_id}
    return session.connection().execute(_HELD, key).scalar() is not None


def _unseen_gold(session, project_id: int, user_id: int) -> sa.Row | None:
    """A gold passage of the project, which the annotator has neither answered nor labelled,
    found from a random place in the project's gold (wrapping round), so that checks cannot be
    told by their place; the cost does not grow with the gold set."""
    connection = session.connection()
    key = {"project_id": project_id, "user_id": user_id}
    lowest, highest = connection.execute(_GOLD_ID_RANGE, key).one()
    if lowest is None:
        return None
    start = {**key, "start": _pick.randint(lowest, highest)}
    found = connection.execute(_UNSEEN_GOLD_FROM, start).first()
    return found if found is not None else connection.execute(_UNSEEN_GOLD_BEFORE, start).first()


def _hand_over(session, standing: Standing, gold: GoldPassage | sa.Row, served: int) -> sa.Row:
    gold_handed_over(session, standing, gold.id, served)
    return _passage_row(session, gold.passage_id)


def _passage_row(session, passage_id: int) -> sa.Row:
    return session.execute(sa.select(*PASSAGE_COLUMNS).where(Passage.__table__.c.id == passage_id)).one()


def _pending_gold(session, standing: Standing) -> sa.Row | None:
    """The gold passage on the annotator's screen (id, passage_id, labels, onboarding), if any."""
    if standing.pending_gold_id is None:
        return None
    return session.connection().execute(_PENDING_GOLD, {"gold_id": standing.pending_gold_id}).first()


def _answer_gold(session, project: Project, standing: Standing, gold: sa.Row, submission: Submission, now):
    connection = session.connection()
    labels = checked_labels(session, project, gold.passage_id, submission.labels)
    scores = score_answer(gold.labels, labels, _scored_fields(session, project, gold.labels))
    recorded = Recorded(labels, submission.note, submission.unsure, now, created=True, changed=True)
    if gold.onboarding:
        return Answered(recorded, _answer_onboarding(session, project, standing, labels, scores, now))
    connection.execute(
        _answer.insert(),
        {
            "project_id": project.id,
            "gold_passage_id": gold.id,
            "user_id": standing.user_id,
            "labels": labels,
            "scores": scores,
            "answered_at": now,
        },
    )
    count_gold_answer(session, project, standing, scores, now)
    return Answered(recorded)


def _answer_onboarding(session, project: Project, standing: Standing, labels, scores, now):
    """Onboarding works on the ORM objects (a few answers per annotator)."""
    gold = session.get(GoldPassage, standing.pending_gold_id)
    quality = session.get(AnnotatorQuality, standing.id, populate_existing=True)
    quality.pending_gold_id = None
    return record_onboarding_answer(session, project, quality, gold, labels, scores, project.guidelines, now)


def _scored_fields(session, project: Project, gold_labels: dict) -> list[str]:
    """The fields a gold answer is scored on: those asked for it, free text aside."""
    return [field.name for field in schema_of(session, project).asked(gold_labels) if field.TYPE != "text"]
