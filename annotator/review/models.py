"""Reviewers' decisions: the adjudicated labels of a passage, with their append-only history,
and the per-passage agreement that orders the review queue."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

ANY_FIELD = "*"  # PassageAgreement.field of the row holding the lowest agreement of all fields


class Adjudication(db.Model):
    """The reviewer's final labels for a passage (the fields they decided); always wins over
    what the annotators' labels would give. Equal to the `after` of its latest event."""

    __table_args__ = (sa.UniqueConstraint("passage_id"), sa.Index("ix_adjudication_project_id", "project_id"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    reviewer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    schema_version: so.Mapped[int]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class AdjudicationEvent(db.Model):
    """One decision or change of decision. Never updated: a database trigger refuses it."""

    __table_args__ = (sa.Index("ix_adjudication_event_project_id_id", "project_id", "id"),
                      sa.Index("ix_adjudication_event_passage_id", "passage_id"))

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
    schema_version: so.Mapped[int]
    guidelines_version: so.Mapped[int]
    client_time: so.Mapped[datetime | None]
    server_time: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class PassageAgreement(db.Model):
    """How far a passage's annotators agree on a field (and, under ANY_FIELD, the lowest of its
    fields): kept up to date from the event log, so the review queue is an index range."""

    __table_args__ = (
        sa.PrimaryKeyConstraint("passage_id", "field"),
        # The queue: passages awaiting review, lowest agreement first.
        sa.Index("ix_passage_agreement_queue", "project_id", "field", "agreement", "passage_id",
                 sqlite_where=sa.text("awaiting_review = 1"), postgresql_where=sa.text("awaiting_review = 1")),
    )

    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    field: so.Mapped[str] = so.mapped_column(sa.String(80))
    agreement: so.Mapped[float]  # share of agreeing pairs of values; 1.0 when all agree
    values: so.Mapped[int]  # values given for the field
    awaiting_review: so.Mapped[int] = so.mapped_column(sa.SmallInteger)  # 1: complete, disagreement, not adjudicated


class AgreementSnapshot(db.Model):
    """The project's agreement figures as last computed, the point of the event logs they
    include and the schema version they read the labels with: shown as they are while no
    label, decision or schema has changed since."""

    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    annotation_event_id: so.Mapped[int]  # the latest event of each log the figures include
    adjudication_event_id: so.Mapped[int]
    schema_version: so.Mapped[int] = so.mapped_column(server_default="0")  # 0: none (kept before versions counted)
    agreement_event_id: so.Mapped[int] = so.mapped_column(default=0)  # passage_agreement is current up to here
    computed_at: so.Mapped[datetime | None]
    seconds: so.Mapped[float | None]
    figures: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
