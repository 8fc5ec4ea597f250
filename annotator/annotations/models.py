"""Labels: each annotator's current label set per passage, and the append-only history of
every change that produced it."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

EVENT_KINDS = ("labels", "skip")


class Annotation(db.Model):
    """The current label set of one annotator for one passage: always equal to the `after`
    of its latest event, written in the same transaction."""

    __table_args__ = (
        sa.UniqueConstraint("passage_id", "user_id"),
        # An annotator's labels in a project, newest last: their count and "go back".
        sa.Index("ix_annotation_project_id_user_id", "project_id", "user_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    # What agreement reads of `labels`, written with them (annotator/annotations/agreement_form.py):
    # the label set with each span reduced to its own answers, and the spans' offsets.
    agreement_labels: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    span_offsets: so.Mapped[str] = so.mapped_column(sa.Text)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    unsure: so.Mapped[bool] = so.mapped_column(default=False)
    schema_version: so.Mapped[int]
    seconds: so.Mapped[float | None]  # time the annotator spent on the passage, first submit
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class AnnotationEvent(db.Model):
    """One change of labels (or a skip). Never updated: a database trigger refuses it."""

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {EVENT_KINDS!r}", name="kind"),
        sa.Index("ix_annotation_event_passage_id_user_id", "passage_id", "user_id", "id"),
        sa.Index("ix_annotation_event_project_id_id", "project_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    actor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    before: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    after: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    schema_version: so.Mapped[int]
    guidelines_version: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    client_time: so.Mapped[datetime | None]
    server_time: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    origin: so.Mapped[str | None] = so.mapped_column(
        sa.String(300)
    )  # None: given in annotator; else e.g. "import: FILE"


class Skip(db.Model):
    """An annotator passed on a passage (with a reason); it is not offered to them again."""

    __table_args__ = (sa.UniqueConstraint("passage_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
