"""Documents as imported, and the passages the splitter cut them into."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db

# Why a passage is not handed out: the splitter's verdicts (page furniture, a repeat, a heading or
# byline on its own, a fragment too short to carry a claim), an admin's correction, a withdrawn document.
EXCLUDED_REASONS = ("boilerplate", "duplicate", "heading", "fragment", "manual", "withdrawn")
SPLITTER_REASONS = ("boilerplate", "duplicate", "heading", "fragment")
FRESH, STARTED = 0, 1  # Passage.queue: nobody has it yet / some but fewer than k annotators have it


class Document(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("project_id", "external_id"),
        sa.UniqueConstraint("project_id", "sha256"),
        # A project's documents sorted by each of the data manager's keys, a page at a time
        # (annotator.data_manager.listing; by external id: the unique constraint above).
        sa.Index("ix_document_project_id_id", "project_id", "id"),
        sa.Index("ix_document_project_id_size_id", "project_id", "size", "id"),
        sa.Index("ix_document_project_id_imported_at_id", "project_id", "imported_at", "id"),
        sa.Index("ix_document_project_id_passage_count_id", "project_id", "passage_count", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    external_id: so.Mapped[str] = so.mapped_column(sa.String(500))
    title: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    imported_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    imported_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    size: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # characters of raw_text
    passage_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # kept by import and corrections
    # Withdrawn: its passages are excluded ("withdrawn"); kept for the audit and backup exports.
    withdrawn_at: so.Mapped[datetime | None]
    # Large columns last: SQLite reads a row's columns in order, through overflow pages.
    meta: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    raw_text: so.Mapped[str] = so.mapped_column(sa.Text)

    passages: so.WriteOnlyMapped["Passage"] = so.relationship(back_populates="document", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Document {self.external_id}>"


class Passage(db.Model):
    """A span `raw_text[start:end]` of a document; `text` is that span with whitespace
    normalised and hyphen breaks rejoined. Annotations attach to passages."""

    __table_args__ = (
        sa.UniqueConstraint("document_id", "index"),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="span"),
        sa.CheckConstraint(
            f"excluded_reason IS NULL OR excluded_reason IN {EXCLUDED_REASONS!r}",
            name="excluded_reason",
        ),
        sa.CheckConstraint(
            "(annotatable AND excluded_reason IS NULL) OR (NOT annotatable AND excluded_reason IS NOT NULL)",
            name="annotatable_or_excluded",
        ),
        sa.Index("ix_passage_project_id_text_hash", "project_id", "text_hash"),
        # A project's passages in reading order: exports stream them without sorting.
        sa.Index("ix_passage_project_id_document_id_index", "project_id", "document_id", "index"),
        sa.CheckConstraint(
            "queue IS NULL OR (annotatable AND label_count >= 0 AND assigned_count >= 0)", name="queue_annotatable"
        ),
        # The assignment queues: passages still open, in reading order. Full and excluded
        # passages leave the index, so finding the next one never walks past them.
        sa.Index(
            "ix_passage_queue",
            "project_id",
            "queue",
            "document_id",
            "index",
            sqlite_where=sa.text("queue IS NOT NULL"),
            postgresql_where=sa.text("queue IS NOT NULL"),
        ),
        # Most passages repeat nothing: index only those that do (for ON DELETE SET NULL).
        sa.Index(
            "ix_passage_duplicate_of_id",
            "duplicate_of_id",
            sqlite_where=sa.text("duplicate_of_id IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NOT NULL"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    document_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("document.id", ondelete="CASCADE"))
    index: so.Mapped[int]
    start: so.Mapped[int]
    end: so.Mapped[int]
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    text_hash: so.Mapped[int] = so.mapped_column(sa.BigInteger)  # of the words, to find repeats
    annotatable: so.Mapped[bool] = so.mapped_column(default=True)
    excluded_reason: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    duplicate_of_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("passage.id", ondelete="SET NULL"))
    splitter_version: so.Mapped[str] = so.mapped_column(sa.String(20))
    # Kept by annotator.assignment in the transaction that changes them (see queue_state):
    label_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # annotators who labelled it
    assigned_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # held for annotators now
    queue: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)  # FRESH, STARTED, or None: full/excluded
    extra_labels: so.Mapped[int] = so.mapped_column(
        sa.SmallInteger, default=0, server_default="0"
    )  # beyond k, after low agreement

    document: so.Mapped[Document] = so.relationship(back_populates="passages")

    def __repr__(self) -> str:
        return f"<Passage {self.document_id}#{self.index}>"
