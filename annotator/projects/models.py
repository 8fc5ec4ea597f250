"""A project: a stance target, guidelines, a versioned label schema and the overlap k."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from annotator.clock import utcnow
from annotator.extensions import db


def _k_max_by_default(context) -> int:
    """A project stored without a k-max (an older backup restored) has a fixed overlap, or
    one more annotator with a threshold: what those settings meant before k-max."""
    row = context.get_current_parameters()
    return row["overlap_k"] + (0 if row.get("extra_annotator_below") is None else 1)


class Project(db.Model):
    __table_args__ = (
        sa.CheckConstraint("overlap_k >= 1", name="overlap_k_positive"),
        # Quality control (annotator.quality): gold rate, pausing rule, onboarding round.
        sa.CheckConstraint("gold_every IS NULL OR gold_every >= 2", name="gold_every_at_least_two"),
        sa.CheckConstraint("pause_below IS NULL OR (pause_below > 0 AND pause_below <= 1)", name="pause_below_share"),
        sa.CheckConstraint("pause_after_gold >= 1", name="pause_after_gold_positive"),
        sa.CheckConstraint("onboarding_pass_mark > 0 AND onboarding_pass_mark <= 1", name="onboarding_pass_mark_share"),
        sa.CheckConstraint("onboarding_attempts >= 1", name="onboarding_attempts_positive"),
        sa.CheckConstraint("overlap_k_max >= overlap_k", name="overlap_k_max_at_least_k"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    target: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    guidelines: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    overlap_k: so.Mapped[int] = so.mapped_column(default=2)  # annotators per passage (k-min when adaptive)
    # Adaptive overlap (assignment.overlap): one more annotator at a time, up to this many, while
    # a passage's agreement is below extra_annotator_below; equal to overlap_k when fixed.
    overlap_k_max: so.Mapped[int] = so.mapped_column(default=_k_max_by_default)
    schema_version: so.Mapped[int] = so.mapped_column(default=1)
    guidelines_version: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    annotatable_passages: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # kept by the importer
    # A passage whose agreement once it has its labels is below this gets one more annotator,
    # up to overlap_k_max (None: never).
    extra_annotator_below: so.Mapped[float | None]
    # --- quality control (annotator.quality) ---
    gold_every: so.Mapped[int | None]  # one passage in this many is a gold check (None: no gold mixed in)
    pause_below: so.Mapped[float | None]  # gold accuracy under which an annotator is paused (None: never)
    pause_after_gold: so.Mapped[int] = so.mapped_column(default=5, server_default="5")  # gold answers first
    onboarding_required: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    onboarding_pass_mark: so.Mapped[float] = so.mapped_column(default=0.8, server_default="0.8")
    onboarding_attempts: so.Mapped[int] = so.mapped_column(default=3, server_default="3")  # tries allowed
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    archived_at: so.Mapped[datetime | None]  # archived: hidden from annotators, read-only

    schemas: so.WriteOnlyMapped["ProjectSchema"] = so.relationship(back_populates="project", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Project {self.name}>"


class ProjectSchema(db.Model):
    """One version of a project's label schema; versions are added, never edited."""

    __table_args__ = (sa.UniqueConstraint("project_id", "version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    version: so.Mapped[int]
    definition: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    project: so.Mapped[Project] = so.relationship(back_populates="schemas")


class ProjectGuidelines(db.Model):
    """One version of a project's guidelines; a change adds a version, so every label can
    say which guidelines the annotator had in front of them."""

    __table_args__ = (sa.UniqueConstraint("project_id", "version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    version: so.Mapped[int]
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


MEMBER_ROLES = ("annotator", "reviewer")


class ProjectMember(db.Model):
    """Who annotates or reviews which project (admins may do everything everywhere)."""

    __table_args__ = (
        sa.UniqueConstraint("project_id", "user_id", "role"),
        sa.CheckConstraint(f"role IN {MEMBER_ROLES!r}", name="role"),
        sa.Index("ix_project_member_user_id", "user_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    project_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    added_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
