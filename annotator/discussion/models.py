"""A passage's discussion: comments, and the resolves and reopens that give the thread its state,
one append-only entry each (who, when). The database refuses to change an entry (a trigger made
by migration 0017), and keeps a comment's text within MAX_COMMENT characters."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

COMMENT, RESOLVE, REOPEN = "comment", "resolve", "reopen"
ENTRY_KINDS = (COMMENT, RESOLVE, REOPEN)
MAX_COMMENT = 4000  # characters


class DiscussionEntry(db.Model):
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {ENTRY_KINDS!r}", name="kind"),
        sa.CheckConstraint(
            f"(kind = '{COMMENT}' AND length(body) BETWEEN 1 AND {MAX_COMMENT}) OR (kind <> '{COMMENT}' AND body = '')",
            name="body",
        ),
        # A passage's thread in order, and its state (its latest resolve or reopen).
        sa.Index("ix_discussion_entry_passage_id_id", "passage_id", "id"),
        # A project's entries for its backup, and the open threads of a project.
        sa.Index("ix_discussion_entry_project_id_id", "project_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    passage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="CASCADE"))
    # Kept when the account is deleted (then shown as a former account), as corrections are.
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(8))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
