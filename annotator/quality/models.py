"""Quality control while the work runs: gold passages (known answers), annotators' answers on
them, each annotator's standing (gold served, pause, onboarding), the record of pauses and
resumptions, and onboarding attempts. Gold answers live here, never in `annotation`: they are
not labels of the project, so progress, agreement, gold labels and exports never see them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

GOLD_SOURCES = ("review", "import")
QUALITY_EVENT_KINDS = ("paused", "resumed", "excluded", "included")


class GoldPassage(db.Model):
    """A passage whose right answer is known: promoted from a reviewer's decision or imported.
    `onboarding` gold is kept for the onboarding round; the rest is mixed into queues."""

    __table_args__ = (
        sa.UniqueConstraint("passage_id"),
        sa.CheckConstraint(f"source IN {GOLD_SOURCES!r}", name="source"),
        # Picking a gold passage to mix in (or the onboarding set): a project's gold of one kind.
        sa.Index("ix_gold_passage_project_id_onboarding", "project_id", "onboarding", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    explanation: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    onboarding: so.Mapped[bool] = so.mapped_column(default=False)
    source: so.Mapped[str] = so.mapped_column(sa.String(16))
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class GoldAnswer(db.Model):
    """An annotator's answer on a gold passage mixed into their queue, scored per field
    (`scores`: field name to right or wrong). One per annotator and gold passage."""

    __table_args__ = (
        sa.UniqueConstraint("gold_passage_id", "user_id"),
        # An annotator's accuracy in a project, and the gold they already had.
        sa.Index("ix_gold_answer_project_id_user_id", "project_id", "user_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    gold_passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("gold_passage.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    scores: so.Mapped[dict[str, bool]] = so.mapped_column(sa.JSON)
    answered_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class AnnotatorQuality(db.Model):
    """One annotator's standing in one project. The counts since the last resumption are what
    the pausing rule reads (kept as answers come in, so the rule costs one row)."""

    __table_args__ = (
        sa.UniqueConstraint("project_id", "user_id"),
        sa.CheckConstraint("fields_correct <= fields_scored", name="correct_within_scored"),
        sa.Index("ix_annotator_quality_user_id", "user_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    pending_gold_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("gold_passage.id", ondelete="SET NULL")
    )  # the gold passage on their screen now
    gold_served: so.Mapped[int] = so.mapped_column(default=0)  # mixed-in gold passages handed to them
    gold_answers: so.Mapped[int] = so.mapped_column(default=0)  # since the last resumption
    fields_scored: so.Mapped[int] = so.mapped_column(default=0)  # since the last resumption
    fields_correct: so.Mapped[int] = so.mapped_column(default=0)  # since the last resumption
    paused_at: so.Mapped[datetime | None]
    labels_excluded: so.Mapped[bool] = so.mapped_column(default=False)  # a reviewer left their labels out of gold
    onboarded_at: so.Mapped[datetime | None]


class QualityEvent(db.Model):
    """A pause, a resumption, or a change of whether an annotator's labels count for gold:
    who (None: the pausing rule), whom, when and why. Appended, never changed."""

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {QUALITY_EVENT_KINDS!r}", name="kind"),
        sa.Index("ix_quality_event_project_id_user_id", "project_id", "user_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    detail: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class OnboardingAttempt(db.Model):
    """One try at a project's onboarding round: finished when every onboarding passage is
    answered, passed when the share of right fields reaches the project's pass mark."""

    __table_args__ = (
        sa.UniqueConstraint("project_id", "user_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("fields_correct <= fields_scored", name="correct_within_scored"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    number: so.Mapped[int]
    fields_scored: so.Mapped[int] = so.mapped_column(default=0)
    fields_correct: so.Mapped[int] = so.mapped_column(default=0)
    passed: so.Mapped[bool | None]  # None while under way
    started_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    finished_at: so.Mapped[datetime | None]


class OnboardingAnswer(db.Model):
    """An answer given in an onboarding attempt, scored per field (kept apart from labels: it
    is in the audit export, never in agreement, gold or training data)."""

    __table_args__ = (sa.UniqueConstraint("attempt_id", "gold_passage_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))  # for backups
    attempt_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("onboarding_attempt.id", ondelete="CASCADE"))
    gold_passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("gold_passage.id", ondelete="CASCADE"), index=True)
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    scores: so.Mapped[dict[str, bool]] = so.mapped_column(sa.JSON)
    answered_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
