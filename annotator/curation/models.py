"""A correction event: who changed what in a project's data, when and why. Events are never
edited or deleted (except with their project); the audit and backup exports carry them."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

CORRECTION_ACTIONS = (
    "exclude",  # a passage taken out of annotation, with a reason
    "include",  # an excluded passage handed out again
    "merge",  # a passage joined with the next one
    "split",  # a passage cut in two at an offset
    "retitle",  # a document's title changed
    "withdraw",  # a document with labels taken out of annotation and the training export
    "remove",  # a document without labels deleted
    "archive",  # a project hidden from annotators and made read-only
    "unarchive",
)


class Correction(db.Model):
    __table_args__ = (
        sa.CheckConstraint(f"action IN {CORRECTION_ACTIONS!r}", name="action"),
        sa.Index("ix_correction_project_id_id", "project_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    # Plain numbers, not foreign keys: the event outlives a removed document or a merged passage.
    document_id: so.Mapped[int | None]
    passage_id: so.Mapped[int | None]
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    action: so.Mapped[str] = so.mapped_column(sa.String(16))
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    details: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)  # what changed: before and after

    def __repr__(self) -> str:
        return f"<Correction {self.action} {self.passage_id or self.document_id or self.project_id}>"
