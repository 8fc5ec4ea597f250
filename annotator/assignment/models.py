"""Where each annotator stands in a project: the passage held for them and their totals; and how
far each passage's annotators agree, which the review queue is read from."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.extensions import db

ANY_FIELD = "*"  # PassageAgreement.field of the row holding the lowest agreement of all fields


class AnnotatorState(db.Model):
    """One annotator's place in one project.

    `passage_id` is the passage handed to them. While `holds_slot` it counts toward the
    passage's k (Passage.assigned_count) until `expires_at`; an expired hold gives the slot
    back to the pool but the passage stays theirs to submit while a slot is free. The cursor
    is the furthest reading-order position they were given. The totals are kept as they
    change, so that progress costs the same whatever the project's size."""

    __table_args__ = (
        sa.UniqueConstraint("project_id", "user_id"),
        sa.CheckConstraint("NOT holds_slot OR expires_at IS NOT NULL", name="held_until"),
        # Finding expired holds reads only the live ones. (SQLite uses a partial index only
        # when the query's condition matches it: SQLAlchemy writes "holds_slot = 1" there.)
        sa.Index(
            "ix_annotator_state_expires_at",
            "expires_at",
            sqlite_where=sa.text("holds_slot = 1"),
            postgresql_where=sa.text("holds_slot"),
        ),
        sa.Index("ix_annotator_state_user_id", "user_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="SET NULL"))
    holds_slot: so.Mapped[bool] = so.mapped_column(default=False)
    assigned_at: so.Mapped[datetime | None]
    expires_at: so.Mapped[datetime | None]
    cursor_document_id: so.Mapped[int | None]
    cursor_index: so.Mapped[int | None]
    labels: so.Mapped[int] = so.mapped_column(default=0)  # passages they labelled
    skips: so.Mapped[int] = so.mapped_column(default=0)
    started: so.Mapped[int] = so.mapped_column(default=0)  # passages whose first label was theirs
    completed: so.Mapped[int] = so.mapped_column(default=0)  # passages whose k-th label was theirs


class PassageAgreement(db.Model):
    """How far a passage's annotators agree on a field (and, under ANY_FIELD, the lowest of its
    fields): kept up to date from the event log, so the review queue is an index range."""

    __table_args__ = (
        sa.PrimaryKeyConstraint("passage_id", "field"),
        # The queue: passages awaiting review, lowest agreement first.
        sa.Index(
            "ix_passage_agreement_queue",
            "project_id",
            "field",
            "agreement",
            "passage_id",
            sqlite_where=sa.text("awaiting_review = 1"),
            postgresql_where=sa.text("awaiting_review = 1"),
        ),
    )

    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    field: so.Mapped[str] = so.mapped_column(sa.String(80))
    agreement: so.Mapped[float]  # share of agreeing pairs of values; 1.0 when all agree
    values: so.Mapped[int]  # values given for the field
    awaiting_review: so.Mapped[int] = so.mapped_column(sa.SmallInteger)  # 1: complete, disagreement, not adjudicated
