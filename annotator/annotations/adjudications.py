"""Reviewers' decisions: the adjudicated labels of a passage, with their append-only history
(stored here, beside the annotators' labels, for every package that reads labels; deciding is
review.adjudicating)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

# Why the annotators of a passage disagreed, as the reviewer judged it when deciding: what the
# next version of the guidelines can answer. Optional where the decision agrees with everybody.
DISAGREEMENT_CATEGORIES = {
    "ambiguous_text": "Ambiguous text",
    "guidelines_gap": "A gap in the guidelines",
    "annotator_error": "Annotator error",
    "other": "Other",
}
_CATEGORY_CHECK = f"category IS NULL OR category IN {tuple(DISAGREEMENT_CATEGORIES)!r}"


class Adjudication(db.Model):
    """The reviewer's final labels for a passage (the fields they decided); always wins over
    what the annotators' labels would give. Equal to the `after` of its latest event."""

    __table_args__ = (
        sa.UniqueConstraint("passage_id"),
        sa.Index("ix_adjudication_project_id", "project_id"),
        sa.CheckConstraint(_CATEGORY_CHECK, name="category"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    reviewer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    category: so.Mapped[str | None] = so.mapped_column(sa.String(20))  # of DISAGREEMENT_CATEGORIES
    schema_version: so.Mapped[int]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class AdjudicationEvent(db.Model):
    """One decision or change of decision. Never updated: a database trigger refuses it."""

    __table_args__ = (
        sa.Index("ix_adjudication_event_project_id_id", "project_id", "id"),
        sa.Index("ix_adjudication_event_passage_id", "passage_id"),
        sa.CheckConstraint(_CATEGORY_CHECK, name="category"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    reviewer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    before: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    after: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    # The annotators (user ids) whose whole answer the decision equals, when it was made: a
    # decision that takes one side can be told from one the reviewer made up (None: before this
    # was recorded).
    equal_to: so.Mapped[list[int] | None] = so.mapped_column(sa.JSON)
    category: so.Mapped[str | None] = so.mapped_column(sa.String(20))  # the decision's, as Adjudication.category
    schema_version: so.Mapped[int]
    guidelines_version: so.Mapped[int]
    client_time: so.Mapped[datetime | None]
    server_time: so.Mapped[datetime] = so.mapped_column(default=utcnow)
