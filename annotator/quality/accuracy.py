"""Each annotator's accuracy on gold, per field and over all fields, with its interval, beside
their standing (paused, labels left out of gold, onboarded): what the overview, the agreement
page, the API and `annotator agreement --json` show. Only mixed-in gold counts; onboarding
answers are practice."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import iso_utc
from annotator.quality.models import AnnotatorQuality, GoldAnswer, GoldPassage
from annotator.quality.scoring import Accuracy, accuracy_per_field
from annotator.users.models import User


@dataclass(frozen=True)
class AnnotatorAccuracy:
    user_id: int
    username: str
    gold_answers: int
    per_field: dict[str, Accuracy] = field(default_factory=dict)
    paused_at: datetime | None = None
    labels_excluded: bool = False
    onboarded_at: datetime | None = None

    @property
    def overall(self) -> Accuracy:
        return Accuracy(sum(a.correct for a in self.per_field.values()), sum(a.scored for a in self.per_field.values()))

    def as_dict(self) -> dict:
        return {
            "user_id": self.user_id,
            "username": self.username,
            "gold_answers": self.gold_answers,
            "overall": self.overall.as_dict(),
            "fields": {name: accuracy.as_dict() for name, accuracy in self.per_field.items()},
            "paused": self.paused_at is not None,
            "paused_at": iso_utc(self.paused_at) if self.paused_at else None,
            "labels_excluded": self.labels_excluded,
            "onboarded": self.onboarded_at is not None,
        }


def gold_accuracy(session: so.Session, project_id: int) -> list[AnnotatorAccuracy]:
    """Every annotator with gold answers or a standing in the project, by username."""
    scores: dict[int, list[dict]] = {}
    for user_id, answer_scores in session.execute(
        sa.select(GoldAnswer.user_id, GoldAnswer.scores).where(GoldAnswer.project_id == project_id)
    ):
        scores.setdefault(user_id, []).append(answer_scores)
    standings = {
        standing.user_id: standing
        for standing in session.scalars(sa.select(AnnotatorQuality).where(AnnotatorQuality.project_id == project_id))
    }
    user_ids = set(scores) | set(standings)
    rows = session.execute(sa.select(User.id, User.username).where(User.id.in_(user_ids))).all()
    names = {user_id: username for user_id, username in rows}
    report = [_one(user_id, names[user_id], scores.get(user_id, []), standings.get(user_id)) for user_id in user_ids]
    return sorted(report, key=lambda annotator: annotator.username)


def gold_counts(session: so.Session, project_id: int) -> dict[str, int]:
    """How many gold passages the project has, mixed in and for onboarding."""
    rows = session.execute(
        sa.select(GoldPassage.onboarding, sa.func.count())
        .where(GoldPassage.project_id == project_id)
        .group_by(GoldPassage.onboarding)
    )
    counts = {bool(onboarding): count for onboarding, count in rows}
    return {"mixed": counts.get(False, 0), "onboarding": counts.get(True, 0)}


def gold_figures(session: so.Session, project_id: int) -> dict:
    """The figures for JSON: the gold passages' counts and every annotator's accuracy."""
    return {
        "gold_passages": gold_counts(session, project_id),
        "annotators": [annotator.as_dict() for annotator in gold_accuracy(session, project_id)],
    }


def _one(user_id: int, username: str, score_sets: list[dict], standing: AnnotatorQuality | None) -> AnnotatorAccuracy:
    return AnnotatorAccuracy(
        user_id,
        username,
        len(score_sets),
        accuracy_per_field(score_sets),
        standing.paused_at if standing else None,
        bool(standing and standing.labels_excluded),
        standing.onboarded_at if standing else None,
    )
