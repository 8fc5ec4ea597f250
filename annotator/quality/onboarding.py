"""The onboarding round: the project's onboarding gold passages, answered one by one with
feedback after each (the right answer, its explanation, the guideline sections about it), then
a result against the pass mark; failed attempts may be retried up to the project's limit, and
every attempt and answer is kept. Services flush; the caller commits."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.domain_errors import Forbidden
from annotator.projects.models import Project
from annotator.quality.guideline_sections import answer_terms, matching_sections
from annotator.quality.models import AnnotatorQuality, GoldPassage, OnboardingAnswer, OnboardingAttempt
from annotator.quality.scoring import passes


class OnboardingFailed(Forbidden):
    """Every allowed attempt at onboarding failed: no passages until an admin allows more."""


@dataclass(frozen=True)
class AttemptResult:
    number: int
    correct: int
    scored: int
    finished: bool
    passed: bool | None
    attempts_left: int
    pass_mark: float

    def as_dict(self) -> dict:
        return {
            "attempt": self.number,
            "correct": self.correct,
            "scored": self.scored,
            "finished": self.finished,
            "passed": self.passed,
            "attempts_left": self.attempts_left,
            "pass_mark": self.pass_mark,
        }


@dataclass(frozen=True)
class Feedback:
    """What an annotator is shown after an onboarding answer."""

    passage_id: int
    given: dict
    right_answer: dict
    scores: dict[str, bool]
    explanation: str
    guideline_sections: list[str]
    attempt: AttemptResult
    remaining: int = field(default=0)  # passages left in this attempt

    def as_dict(self) -> dict:
        return {
            "onboarding": True,
            "passage_id": self.passage_id,
            "your_answer": self.given,
            "right_answer": self.right_answer,
            "scores": self.scores,
            "explanation": self.explanation,
            "guideline_sections": self.guideline_sections,
            "remaining": self.remaining,
            "result": self.attempt.as_dict(),
        }


@dataclass(frozen=True)
class OnboardingProgress:
    """Where an annotator is in onboarding, for the annotate screen."""

    attempt: int
    answered: int
    total: int
    attempts_allowed: int
    pass_mark: float


def onboarding_progress(session: so.Session, project: Project, user) -> OnboardingProgress | None:
    """The annotator's place in the onboarding round; None when they need none."""
    standing = session.scalar(
        sa.select(AnnotatorQuality).where(
            AnnotatorQuality.project_id == project.id, AnnotatorQuality.user_id == user.id
        )
    )
    if not needs_onboarding(session, project, standing):
        return None
    attempt = current_attempt(session, project.id, user.id)
    running = attempt is not None and attempt.finished_at is None
    return OnboardingProgress(
        (attempt.number + (0 if running else 1)) if attempt else 1,
        len(_answered(session, attempt.id)) if running else 0,
        len(onboarding_set(session, project.id)),
        project.onboarding_attempts,
        project.onboarding_pass_mark,
    )


def onboarding_set(session: so.Session, project_id: int) -> list[GoldPassage]:
    """The project's onboarding passages, in the order they are asked."""
    query = sa.select(GoldPassage).where(GoldPassage.project_id == project_id, GoldPassage.onboarding)
    return list(session.scalars(query.order_by(GoldPassage.id)))


def needs_onboarding(session: so.Session, project: Project, standing: AnnotatorQuality | None) -> bool:
    """Whether the annotator must still pass onboarding before real passages."""
    if not project.onboarding_required or (standing is not None and standing.onboarded_at is not None):
        return False
    return session.scalar(sa.select(sa.exists().where(GoldPassage.project_id == project.id, GoldPassage.onboarding)))


def next_onboarding_gold(session: so.Session, project: Project, user_id: int, now: datetime) -> GoldPassage | None:
    """The next onboarding passage for the annotator, starting an attempt when none is under
    way (None if the set changed under a finished attempt). Raises OnboardingFailed when every
    allowed attempt was used."""
    attempt = current_attempt(session, project.id, user_id)
    if attempt is None or attempt.finished_at is not None:
        attempt = _start_attempt(session, project, user_id, attempt, now)
    answered = _answered(session, attempt.id)
    unanswered = [gold for gold in onboarding_set(session, project.id) if gold.id not in answered]
    return unanswered[0] if unanswered else None


def record_onboarding_answer(
    session: so.Session,
    project: Project,
    standing: AnnotatorQuality,
    gold: GoldPassage,
    labels: dict,
    scores: dict[str, bool],
    guidelines: str,
    now: datetime,
) -> Feedback:
    """Keep the answer in the attempt under way and score it; the attempt ends with the last
    passage of the set (passed or not), and a pass lets the annotator on to real passages."""
    attempt = current_attempt(session, project.id, standing.user_id)
    session.add(
        OnboardingAnswer(
            project_id=project.id,
            attempt_id=attempt.id,
            gold_passage_id=gold.id,
            labels=labels,
            scores=scores,
            answered_at=now,
        )
    )
    attempt.fields_scored += len(scores)
    attempt.fields_correct += sum(scores.values())
    session.flush()
    remaining = len(onboarding_set(session, project.id)) - len(_answered(session, attempt.id))
    if remaining <= 0:
        finish_attempt(project, standing, attempt, now)
    session.flush()
    sections = matching_sections(guidelines, answer_terms(gold.labels))
    return Feedback(
        gold.passage_id, labels, gold.labels, scores, gold.explanation, sections, result_of(project, attempt), remaining
    )


def finish_attempt(project: Project, standing: AnnotatorQuality, attempt: OnboardingAttempt, now: datetime) -> None:
    """Close the attempt against the pass mark; a pass lets the annotator on to real passages."""
    attempt.finished_at = now
    attempt.passed = passes(attempt.fields_correct, attempt.fields_scored, project.onboarding_pass_mark)
    if attempt.passed:
        standing.onboarded_at = now


def current_attempt(session: so.Session, project_id: int, user_id: int) -> OnboardingAttempt | None:
    query = sa.select(OnboardingAttempt).where(
        OnboardingAttempt.project_id == project_id, OnboardingAttempt.user_id == user_id
    )
    return session.scalar(query.order_by(OnboardingAttempt.number.desc()).limit(1))


def attempts_of(session: so.Session, project_id: int, user_id: int) -> list[OnboardingAttempt]:
    query = sa.select(OnboardingAttempt).where(
        OnboardingAttempt.project_id == project_id, OnboardingAttempt.user_id == user_id
    )
    return list(session.scalars(query.order_by(OnboardingAttempt.number)))


def result_of(project: Project, attempt: OnboardingAttempt) -> AttemptResult:
    return AttemptResult(
        attempt.number,
        attempt.fields_correct,
        attempt.fields_scored,
        attempt.finished_at is not None,
        attempt.passed,
        max(project.onboarding_attempts - attempt.number, 0),
        project.onboarding_pass_mark,
    )


def _start_attempt(session, project: Project, user_id: int, last: OnboardingAttempt | None, now) -> OnboardingAttempt:
    number = 1 if last is None else last.number + 1
    if number > project.onboarding_attempts:
        raise OnboardingFailed(
            f"You did not reach the onboarding pass mark in {project.onboarding_attempts} attempts, so no passages "
            "are handed to you in this project. An admin can allow more attempts on the project's settings."
        )
    attempt = OnboardingAttempt(project_id=project.id, user_id=user_id, number=number, started_at=now)
    session.add(attempt)
    session.flush()
    return attempt


def _answered(session, attempt_id: int) -> set[int]:
    return set(
        session.scalars(sa.select(OnboardingAnswer.gold_passage_id).where(OnboardingAnswer.attempt_id == attempt_id))
    )


def feedback_rows(schema, feedback: Feedback) -> list[tuple[str, str, str, bool | None]]:
    """Per field of the right answer or the given one: (label, given in words, right in words,
    whether it was right; None where it was not scored)."""
    given, right = dict(schema.in_words(feedback.given)), dict(schema.in_words(feedback.right_answer))
    rows = []
    for schema_field in schema.fields:
        if feedback.given.get(schema_field.name) is None and feedback.right_answer.get(schema_field.name) is None:
            continue
        rows.append(
            (
                schema_field.label,
                given.get(schema_field.label, "(none)"),
                right.get(schema_field.label, "(none)"),
                feedback.scores.get(schema_field.name),
            )
        )
    return rows
